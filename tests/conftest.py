"""The fixtures live in small modules under ``tests/fixtures/``; this registers them for every
layer (core, actions, http, sockets, browser, scale)."""

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.database",
    "tests.fixtures.app",
    "tests.fixtures.server",
    "tests.fixtures.browser",
]
