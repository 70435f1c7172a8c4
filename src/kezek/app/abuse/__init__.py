"""The abuse view and the no-show suspension (ADR 0015): rule storage, the per-day
summary of booking origins, bulk cancellation with notices, suspensions and their lifting.
"""
