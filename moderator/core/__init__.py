"""The domain core: events, questions and votes over a SQLAlchemy session and an injected clock.

Nothing here imports Flask or Socket.IO; the adapters in ``moderator.api``, ``moderator.web`` and
``moderator.sockets`` call into it, and ``moderator.fanout`` decides who hears about the result.
"""
