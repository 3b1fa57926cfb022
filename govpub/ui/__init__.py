"""Shared helpers of the staff views: paging, showing an action's errors on a form, re-authentication.

Below every app (govpub/layers.py), so that any app's views can use them without pointing up at
web/, the staff UI shell that sits on top.
"""
