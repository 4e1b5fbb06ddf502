"""Receivers for allauth events only (house style §8)."""
