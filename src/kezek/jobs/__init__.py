"""Background jobs on huey: booking reminders, waitlist offers and their expiry.

`queue` builds the huey instance from the settings (a SQLite file by default, Redis when
`KEZEK_JOBS_REDIS_URL` is set) and registers the tasks of `tasks`; `handoff` is how the
edge passes work to it after a commit; `flows` is what the tasks do, against the
database; `senders` reach people by Telegram and e-mail; `run` drains what is due once.
Why huey: docs/adr/0006-background-jobs-huey.md.
"""
