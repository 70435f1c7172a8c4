"""The Telegram bot: a channel beside the web and the API, on the same app services.

A person chooses a language, finds a service by words, is sent to the portal (with the
nearest self-service points) when it is online, or picks a centre (by city or by a
shared location), a day and a time from the real free slots, gives an IIN (deleted from
the chat at once, shown back masked), confirms, and gets the booking code and a QR code.
"My bookings" lists, cancels and moves bookings. Every rule (quotas, seats, schedules,
privilege windows) is the app layer's, so switching channel gets around none of them.

A centre whose newest day is in its ballot (ADR 13) says so beside the days, and the
person can enter it instead: up to three ranked times, the same IIN proof, the result
sent back to the chat after the draw.

A day with no free time left is shown as full, and its waitlist can be joined from the
chat. Every button of the booking path carries the centre, service and privilege it
was made for, so a button on an old message acts on what that message showed (ADR 32).

Modules: `texts` (kk/ru/en), `keyboards` (callback data), `bound` (a button's
context), `views` (formatting), `offers` and `pick` (centres and free slots), `start`,
`find`, `slots`, `iin`, `mine`, `wait` (the waitlist), `ballot` (the steps;
`ballot_views` formats the ballot), `actions` (what an IIN is used for), `dispatcher`
(`build_dispatcher`), `webhook` (for an HTTP route).
`kezek.cli.bot.run_bot` runs it by long polling.
"""
