"""Proof of identity: who may see, make, move or cancel a person's bookings.

The model is the state's: mobile numbers are registered to IINs, and a one-time code
sent to such a number proves the requester holds it. `ports` names the two seams to the
outside (the directory that knows the numbers, the sender that delivers codes);
`directory` and `senders` hold their adapters; `codes` runs a challenge; `proof` is what
a verified person carries afterwards; `wiring` picks the adapters from the settings.
"""
