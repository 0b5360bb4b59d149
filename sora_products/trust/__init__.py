"""Checks that make a video trustworthy: the product kept its colour, no real face was sent, and provenance.

Like ``references``, these work on files and pictures only and know nothing of the app's models; the
engine (``jobs``) calls them and stores what they found.
"""
