"""Accounts, API tokens and long jobs of the web application."""

from __future__ import annotations

from django.conf import settings
from django.db import models

ROLES = (
    ("province_admin", "省级管理员"),
    ("caseworker", "区县经办人员"),
    ("finance", "财务人员"),
    ("auditor", "审计人员"),
)


class Account(models.Model):
    """What a user may see and do: a role and the region whose subtree is theirs."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="account")
    role = models.CharField("角色", max_length=32, choices=ROLES)
    region = models.CharField("管辖区划", max_length=12)  # 360000, 360102 …
    display_name = models.CharField("姓名", max_length=64, blank=True, default="")

    class Meta:
        db_table = "web_account"


class ApiToken(models.Model):
    """A REST API token: only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=64)
    prefix = models.CharField("前缀", max_length=8)  # the key's first characters, to tell it
    digest = models.CharField("SHA-256", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True)

    class Meta:
        db_table = "web_api_token"


class Job(models.Model):
    """A long job (import, comparison, plan) run outside the request by the worker;
    the page polls its stage and progress."""

    STATES = (("queued", "排队中"), ("running", "运行中"), ("done", "已完成"), ("failed", "失败"))
    kind = models.CharField("类型", max_length=32)
    params = models.JSONField("参数", default=dict)
    state = models.CharField("状态", max_length=16, choices=STATES, default="queued")
    stage = models.CharField("阶段", max_length=128, blank=True, default="")
    progress = models.SmallIntegerField("进度", default=0)  # percent
    result = models.JSONField("结果", default=dict)
    error = models.TextField("错误", blank=True, default="")
    region = models.CharField("区划", max_length=12)
    created_by = models.CharField("提交人", max_length=150)  # user name: another database
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True)
    finished_at = models.DateTimeField("结束时间", null=True)

    def stage_in(self, language: str | None) -> str:
        """The stage in the user's language: the jobs name their stages "中文 / English"
        (as the command line prints them); a page shows one of the two."""
        zh, _, en = self.stage.partition(" / ")
        return en if language == "en" and en else zh

    @property
    def stage_zh(self) -> str:
        return self.stage_in("zh")

    @property
    def stage_en(self) -> str:
        return self.stage_in("en")

    class Meta:
        db_table = "web_job"
        indexes = [models.Index(fields=["state", "created_at"], name="job_queue")]
