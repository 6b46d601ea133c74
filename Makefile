# Every target sets itself up on a fresh machine: it creates .venv and installs
# the pinned packages (pyproject.toml) the first time, and again when
# pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean assets screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

DEMO := var/demo
DEMO_DB := sqlite:///$(CURDIR)/var/demo.sqlite3
CQ := var/demo-cq
ROSTERS := poverty dibao tekun disability low_income veterans other_assistance students \
	unable_to_work resident_pension resident_medical employee_pension employee_medical death
RECORDS := unemployment_records certificates third_party_funding late_pension_applications \
	early_pension_applications
## the lists of Jiangxi's service targets (JX-2017-58/2.4.10): the mandates, then the
## village service points (a list of places: doudi service-points)
SERVICE_RECORDS := withholding_mandates
## the work-injury lists synth writes for the demo county (--source:file), in the order
## they import: a worker's project and a payment's case must be known first
WORK_INJURY := projects:wi_projects project-workers:wi_project_workers cases:wi_cases \
	advance-payments:wi_advance_payments
## a county of each other document (county:jurisdiction), planned after Chongqing's
OTHER_COUNTIES := 130203:130200 370102:370000 510402:510400
OTHERS := $(foreach c,$(OTHER_COUNTIES),var/demo-$(firstword $(subst :, ,$(c)))) \
	var/demo-ledgers

## make run: evaluate the example scenario of every jurisdiction and settle the example
## bills, printing the Chinese explanations; then build a demo county registry from
## synthetic department files (the lists, then the record lists), run the comparison
## (var/demo/比对结果.xlsx), import the four work-injury lists and write their findings
## (var/demo/工伤保险核查.xlsx), the year's plan (Jiangxi: versions 1 pension, 2 medical,
## 3 unemployment) with its statistics per region, cost an example reform on it
## (Chongqing's rules on the county: var/demo/政策测算.xlsx; the other example reform,
## a higher minimum tier, is in examples/reforms/), import the hospitals' bills; then
## Chongqing's withholding cycle on a demo county (its plan: versions 4 pension, 5
## medical; bank files through a simulated bank, the 31 August statement); then a county
## of each other document, every programme to its ledger (Hebei 6–8 with the unemployment
## refund, Shandong 9–10, Panzhihua 11–14 with the contribution subsidy and third-party
## funding) and the pension-start lists of Hebei and Shandong; then start the web
## application at http://127.0.0.1:8000/ with the demo accounts printed.
run: $(STAMP) assets
	@for f in examples/*.yaml; do \
		echo "=== $$f"; \
		$(BIN)/doudi evaluate --explain "$$f" || exit $$?; \
	done
	@for f in examples/bills/*.yaml; do \
		echo "=== $$f"; \
		$(BIN)/doudi settle --explain "$$f" || exit $$?; \
	done
	@echo "=== 演示登记库 / demo registry: $(DEMO_DB)"
	@rm -rf $(DEMO) $(CQ) $(OTHERS) var/demo.sqlite3* var/demo-jobs.sqlite3* var/web \
		&& mkdir -p $(DEMO)
	$(BIN)/doudi synth --region 360102 --people 5000 --out $(DEMO) --seed 1
	@for s in $(ROSTERS) $(RECORDS) $(SERVICE_RECORDS); do \
		f=$$(ls $(DEMO)/$$s.* | head -1); \
		DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi import "$$f" --source $$s \
			--as-of 2018-03-31 --user 演示 || exit $$?; \
	done
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi service-points $(DEMO)/service_points.csv \
		--as-of 2018-03-31 --user 演示
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi service-targets --region 360102 \
		--as-of 2018-03-31 --out $(DEMO)/便民服务目标.xlsx
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi compare --region 360102 --as-of 2018-03-31 \
		--out $(DEMO)/比对结果.xlsx
	@echo "=== 工伤保险扶贫 / work injury (docs/work_injury.md): $(DEMO)/wi_*.csv"
	@for s in $(WORK_INJURY); do \
		DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi work-injury import --source $${s%%:*} \
			--file $(DEMO)/$${s##*:}.csv --region 360102 --as-of 2018-03-31 --user 演示 \
			|| exit $$?; \
	done
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi work-injury findings --region 360102 \
		--as-of 2018-03-31 --out $(DEMO)/工伤保险核查.xlsx
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi plan --jurisdiction 360000 --year 2018 --user 演示
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi ledger 1 --out $(DEMO)/台账.xlsx
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi ledger 2 --out $(DEMO)/医保资助台账.xlsx
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi ledger 3 --out $(DEMO)/失业保险待遇台账.xlsx
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi statistics --region 360102 --year 2018 \
		--as-of 2018-12-31 --out $(DEMO)/分地区统计.xlsx > /dev/null
	@echo "=== 政策测算 / policy costing (docs/costing.md): examples/reforms/"
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi cost examples/reforms/chongqing-rules-on-jiangxi.yaml \
		--region 360102 --out $(DEMO)/政策测算.xlsx
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi bills $(DEMO)/bills.csv --jurisdiction 360000 \
		--user 演示
	@echo "=== 重庆代扣流程 / Chongqing's withholding cycle (docs/bank.md): $(CQ)"
	$(BIN)/doudi synth --region 500102 --people 3000 --out $(CQ) --seed 2
	@for s in $(ROSTERS) $(RECORDS); do \
		f=$$(ls $(CQ)/$$s.* | head -1); \
		DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi import "$$f" --source $$s \
			--as-of 2018-03-31 --user 演示 > /dev/null || exit $$?; \
	done
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi plan --jurisdiction 500000 --year 2018 --user 演示
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi bills $(CQ)/bills.csv --jurisdiction 500000 \
		--user 演示 > /dev/null
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi payments $(CQ)/pension_payment.csv --year 2018
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi withhold 4 --region 500102 --out $(CQ)/bank \
		--on 2018-06-01 --user 演示
	$(BIN)/doudi bank-simulate $(CQ)/bank/DK_50010220180001.txt --out $(CQ)/bank/HP_1.txt \
		--processed-on 2018-07-10
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi bank-return $(CQ)/bank/HP_1.txt --user 演示
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi withhold 4 --region 500102 --out $(CQ)/bank \
		--on 2018-09-03 --user 演示
	$(BIN)/doudi bank-simulate $(CQ)/bank/DK_50010220180002.txt --out $(CQ)/bank/HP_2.txt \
		--processed-on 2018-09-10
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi bank-return $(CQ)/bank/HP_2.txt --user 演示
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi cutoff --jurisdiction 500000 --year 2018 \
		--region 500102 --out $(CQ)/清算2018.xlsx
	@for c in $(OTHER_COUNTIES); do \
		county=$${c%%:*}; jurisdiction=$${c##*:}; out=var/demo-$$county; \
		echo "=== 其他地区演示 / a demo county of $$jurisdiction: $$out"; \
		$(BIN)/doudi synth --region $$county --people 5000 --out $$out --seed 3 > /dev/null \
			|| exit $$?; \
		for s in $(ROSTERS) $(RECORDS); do \
			f=$$(ls $$out/$$s.* | head -1); \
			DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi import "$$f" --source $$s \
				--as-of 2018-03-31 --user 演示 > /dev/null || exit $$?; \
		done; \
		DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi plan --jurisdiction $$jurisdiction \
			--year 2018 --user 演示 || exit $$?; \
	done
	@mkdir -p var/demo-ledgers; for v in 6 7 8 9 10 11 12 13 14; do \
		DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi ledger $$v \
			--out var/demo-ledgers/台账-编号$$v.xlsx || exit $$?; \
	done
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi pension-starts --region 130203 --year 2018 \
		--out var/demo-130203/60周岁以上领取待遇名单.xlsx
	DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi pension-starts --region 370102 --year 2018 \
		--out var/demo-370102/提前领取养老金名单.xlsx
	@echo "=== 经办系统 / the web application"
	@DOUDI_DATABASE_URL=$(DEMO_DB) $(BIN)/doudi demo-accounts
	DOUDI_DATABASE_URL=$(DEMO_DB) DOUDI_HOME=var $(BIN)/doudi serve --host 127.0.0.1 --port 8000

## make test: lint, format check, type check, then the whole test suite; the registry
## tests run on SQLite and on a real PostgreSQL server (Debian's package, installed and
## started under /tmp by scripts/test-postgres.sh unless DOUDI_TEST_DATABASE_URL is set),
## the plan on local Spark and on a two-worker standalone cluster the tests start and stop
## (scripts/spark-cluster.sh; Java from Debian's package, scripts/ensure-java.sh), and the
## browser tests on Debian's Chromium (scripts/ensure-chromium.sh).
## Both cores (pytest-xdist): a file's tests on one worker, the Spark tests together and
## the browser tests together (tests/conftest.py); the run was one CPU-bound process.
PARALLEL := -n 2 --dist loadfile
test: $(STAMP) assets lint
	scripts/ensure-java.sh
	scripts/ensure-chromium.sh
	DOUDI_TEST_DATABASE_URL="$${DOUDI_TEST_DATABASE_URL:-$$(scripts/test-postgres.sh)}" \
		$(BIN)/python -m pytest $(PARALLEL)

## make test-fast: lint, format check, type check, then the tests that need no server,
## no Java, no browser and no killed child process, and take seconds each (pytest -m; the
## markers are in pyproject.toml): quick feedback while working. make test runs everything.
FAST := not postgres and not spark and not browser and not kill and not slow
test-fast: $(STAMP) assets lint
	$(BIN)/python -m pytest -m "$(FAST)" -p no:cacheprovider

## make assets: the web application's ECharts and htmx (npm registry) and its English
## translations (gettext), built on this machine.
assets:
	scripts/build-web-assets.sh

## make screenshots: the browser tests, each writing its page to docs/screenshots/.
screenshots: $(STAMP) assets
	scripts/ensure-chromium.sh
	DOUDI_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest tests/web/test_browser.py \
		"tests/web/test_walk_browser.py::test_the_home_and_person_pages_fit_a_phone"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

## make bench: the policy engine (10^4..10^6 people per jurisdiction against a Python loop
## of its rules, and one person's `doudi evaluate` cold and warm, ~5 min) and the bill
## settlement (10^4..5·10^6 bills, Jiangxi's against a hand-written DuckDB window query,
## ~15 min), medians of fresh processes;
## the registry (import of a synthetic province's files, comparison of 10^7 insured
## against hand-written DuckDB statements of all its findings, ~12 min); the plan of 10^6..10^7 insured against a hand-written
## DuckDB statement, and local Spark reading a lake export of 10^6 (~5 min); the person page and API under load on a
## registry of 10^6 people (~5 min); the work-injury checks of 10^5 projects and 10^7
## project workers against hand-written DuckDB statements (~2 min); a policy costing of
## 10^6 insured against the plan run twice (~3 min; at 10^7, --sizes 10000000 --runs 1,
## about 9 GiB at its peak, docs/scale.md); the plan of 10^6 insured and the settlement
## of 10^6 bills read from a lake on DuckDB, Spark local[2] and a two-worker cluster
## (bench_spark.py: the settlement alone took 19 min, busy; --programmes comparison
## adds the third); a 10^6-row roster imported into SQLite and PostgreSQL, each against a
## hand-written import of the same file writing the same rows, medians of 3 (~20 min).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_settlement.py
	$(BIN)/python benchmarks/bench_registry.py
	DOUDI_BENCH_POSTGRES="$${DOUDI_BENCH_POSTGRES:-$$(scripts/test-postgres.sh)}" \
		$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_plan.py
	$(BIN)/python benchmarks/bench_spark.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_work_injury.py
	$(BIN)/python benchmarks/bench_costing.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
