"""Helpers the tests share (not fixtures: plain functions the tests call)."""
