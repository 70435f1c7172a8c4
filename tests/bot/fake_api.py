"""A Bot API server on loopback for the tests: it records every call and answers as
Telegram does (the shapes of `Message`, `User`, `True`), so aiogram's real HTTP client,
serialisation and multipart uploads are exercised end to end without leaving the host.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 777000111
BOT_USERNAME = "kezek_test_bot"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None


class FakeBotApi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []  # served once by getUpdates
        self._next_id = 1000
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                text = str(value)
                try:
                    params[key] = json.loads(text) if text[:1] in "{[" else text
                except ValueError:
                    params[key] = text
        for key, value in list(params.items()):  # aiogram uploads as attach://<part name>
            if isinstance(value, str) and value.startswith("attach://"):
                files[key] = files.pop(value.removeprefix("attach://"))
        if method == "getUpdates" and not self.updates:
            await asyncio.sleep(0.05)  # a long poll that found nothing
        result = self._result(method, params)
        self.calls.append(Call(method, params, files, result))
        return web.json_response({"ok": True, "result": result})

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        self._next_id += 1
        chat_id = int(params.get("chat_id", 0))
        message = {"message_id": int(params.get("message_id", self._next_id)),
                   "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                   "from": self._me()}
        if "reply_markup" in params and isinstance(params["reply_markup"], dict) \
                and "inline_keyboard" in params["reply_markup"]:
            message["reply_markup"] = params["reply_markup"]
        message.update(extra)
        return message

    @staticmethod
    def _me() -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Kezek", "username": BOT_USERNAME}

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return self._me()
        if method in ("sendMessage", "editMessageText"):
            return self._message(params, text=params.get("text", ""))
        if method == "sendPhoto":
            photo = [{"file_id": f"photo{self._next_id}", "file_unique_id": "u",
                      "width": 330, "height": 330}]
            return self._message(params, photo=photo, caption=params.get("caption", ""))
        if method == "getUpdates":
            served, self.updates = self.updates, []
            return served
        return True
