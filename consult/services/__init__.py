"""Writes that touch several rows or carry business rules; they flush, the request commits."""
