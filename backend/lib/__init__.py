"""Helpers shared by the apps. Nothing in here imports a Lotse app."""
