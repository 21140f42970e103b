"""Live moderation dashboard for hybrid panels.

Kept free of imports on purpose: ``python -m moderator`` imports this package before its entry
module, and eventlet must monkey-patch before Flask, SQLAlchemy or sockets are imported.
The application factory is ``moderator.app.create_app``.
"""
