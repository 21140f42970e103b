"""Where the server can be reached from: loopback or the room's network.

Started as README says, the server listens on 127.0.0.1: only this computer can open its pages,
so the room screen's QR code is useless to phones. ``python -m moderator --room`` listens on
every interface and guesses the address phones on the same network can use.
"""

from __future__ import annotations

import ipaddress
import socket

from flask import current_app, request

# Any address outside this machine: connecting a UDP socket sends nothing, it only makes the
# kernel pick the interface (and so the local address) that route would leave from.
_PROBE = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737), never routed on the Internet


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) names this
    computer only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def listens_everywhere(host: str) -> bool:
    """Whether listening on ``host`` means every interface."""
    return host.strip().strip("[]") in ("", "0.0.0.0", "::")


def lan_address() -> str:
    """This computer's address on the network its default route uses (the room's Wi-Fi or
    cable), or the name's address, or 127.0.0.1 when there is no network at all."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            address: str = probe.getsockname()[0]
            if not is_loopback(address) and address != "0.0.0.0":
                return address
    except OSError:
        pass
    try:
        address = socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"
    return address


def public_base_url() -> str:
    """The address attendees (and invited people) use: PUBLIC_URL, else the address this
    request reached the server at."""
    return str(current_app.config["PUBLIC_URL"] or request.host_url).rstrip("/")
