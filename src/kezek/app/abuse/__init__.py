"""The abuse view (ADR 0015): rule storage, the per-day summary of booking origins, bulk
cancellation with notices, and the staff's access to them.

The no-show suspension itself is `kezek.app.suspension`, beside booking: booking,
ballots and the waitlist check it, and this package's bulk cancellation calls booking,
so keeping it here made this package and booking import each other.
"""
