"""The lake: the registry's tables as Parquet, partitioned by province and county, with a
manifest (issue #24), for engines that read the files themselves (Spark's executors).

A floor, like the store: it knows files, partitions and checksums, not what the tables
mean; the plan decides what it exports (``plan.lake``) and how it reads an export back
(``plan.lake_inputs``)."""
