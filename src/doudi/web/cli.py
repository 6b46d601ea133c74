"""The web application's commands: serve, worker, user, token, demo-accounts."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from doudi.console import open_registry

app = typer.Typer()


ROLES = ("province_admin", "caseworker", "finance", "auditor")
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1) + 1


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[
        int, typer.Option(help="处理请求的进程数（默认：CPU 核数×2+1）", show_default=False)
    ] = DEFAULT_WORKERS,
    threads: Annotated[int, typer.Option(help="每个进程的线程数（1：同步进程）")] = 1,
    worker: Annotated[bool, typer.Option(help="同时运行后台任务（导入、比对、计划）")] = True,
) -> None:
    """启动经办系统网页服务 / start the web application (gunicorn).

    By default gunicorn's sync workers, one request at a time each, 2 × cores + 1 of
    them: each request is accepted by a process that is free, so no process is left with
    more connections than it can serve, which threads in fewer processes (a thread
    holds a process's one core) did (docs/web.md, "Performance")."""
    import gc
    from typing import Any

    from gunicorn.app.base import BaseApplication

    open_registry()  # migrations of the registry and the job table
    from doudi.web import worker as jobs
    from doudi.web.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "sync" if threads == 1 else "gthread",
                "timeout": 120,
                "accesslog": None,
                "proc_name": "doudi",
                # gunicorn's control socket is one path per user ($HOME/.gunicorn): a
                # second server on the machine (a test's, a second site's) would take it
                # over, and nothing of Doudi's uses gunicornc
                "control_socket_disable": True,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    process = jobs.start_process() if worker else None
    # What the master has loaded (Django, the policy engine, DuckDB, Arrow: some 135,000
    # objects) is kept out of the garbage collector's full passes in every worker: a full
    # pass over them stops a worker for 70-150 ms, the longest waits of a page under load
    # (docs/web.md, "Performance").
    gc.collect()
    gc.freeze()
    typer.echo(f"经办系统已启动 / serving on http://{host}:{port}/  （Ctrl+C 停止）")
    try:
        Server().run()
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="运行完排队的任务后退出")] = False,
) -> None:
    """运行后台任务 / run the job worker (imports, comparisons, plans)."""
    import signal
    import threading

    open_registry()
    from doudi.web import worker as jobs

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    if once:
        typer.echo(f"已运行 {jobs.run_pending()} 个任务")
        return
    jobs.loop(stop)


@app.command()
def user(
    username: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option(help="角色：province_admin、caseworker、finance、auditor")],
    region: Annotated[str, typer.Option(help="管辖区划代码，如 360102；全国为 000000")],
    password: Annotated[str | None, typer.Option(help="密码；不给则随机生成并显示")] = None,
    name: Annotated[str, typer.Option(help="姓名")] = "",
) -> None:
    """新建或更新用户 / create or update a user."""
    open_registry()
    from doudi.web.accounts import AccountError, set_user

    try:
        shown = set_user(username, role, region, password, name)
    except AccountError as exc:
        typer.echo(f"输入有误 / invalid input: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"用户 {username}（{role}，{region}）已保存" + (f"，密码：{shown}" if shown else ""))


@app.command()
def token(
    username: Annotated[str, typer.Argument(help="用户名")],
    purpose: Annotated[str, typer.Option(help="用途")] = "api",
) -> None:
    """为用户签发接口令牌（只显示一次） / issue an API token."""
    open_registry()
    from django.contrib.auth import get_user_model

    from doudi.web import tokens

    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        typer.echo(f"没有用户 {username}", err=True)
        raise typer.Exit(code=2)
    typer.echo(tokens.issue(found, purpose))


@app.command("demo-accounts")
def demo_accounts() -> None:
    """创建演示账户并显示密码 / create the demo accounts and print their passwords."""
    open_registry()
    from doudi.core import regions
    from doudi.web.accounts import set_user

    accounts = [
        ("admin", "province_admin", "000000", "演示管理员"),
        ("jiangxi", "province_admin", "360000", "江西省级演示"),
        ("donghu", "caseworker", "360102", "东湖区经办演示"),
        ("fuling", "caseworker", "500102", "涪陵区经办演示"),
        ("finance", "finance", "000000", "财务演示"),
        ("auditor", "auditor", "000000", "审计演示"),
    ]
    typer.echo("演示账户 / demo accounts（密码每次随机生成）:")
    for username, role, scope, name in accounts:
        password = secrets.token_urlsafe(9)
        set_user(username, role, scope, password, name)
        place = regions.region_name(scope) or "全国"
        typer.echo(f"  {username:<9} 密码 {password}  {name}（{place} {scope}）")
