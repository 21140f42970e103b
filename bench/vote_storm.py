"""A vote storm: thousands of attendees upvoting at once, counts coalesced.

2,000 attendee connections (half in the room, half online) to a real server, each upvoting 5 of
20 approved questions at random moments within 10 s. Reports whether the final counts are exact on
the server, at the moderator and at every attendee within 1 s of the last vote; how many count
updates each attendee received per second; the server's CPU time. With --compare, the same run
again with every vote broadcast as it comes (VOTE_BROADCAST_INTERVAL_MS=0), and the ratio of
messages sent.

    .venv/bin/python bench/vote_storm.py [--clients 2000] [--compare] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import socketio  # noqa: E402

from bench.common import TOKEN, Server, cpu_seconds, machine, write_json  # noqa: E402
from bench.swarm import Attendee, Moderator, close_all, connect_all  # noqa: E402


def latest_counts(messages: list[tuple[float, dict]]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _at, data in messages:
        for key, value in data["counts"].items():
            counts[int(key)] = value
    return counts


async def run(
    server: Server,
    clients: int,
    questions: int,
    votes_each: int,
    window: float,
    settle: float,
    call_timeout: float,
    per_vote: bool,
) -> dict:
    server.api("PATCH", "/events/ssc25", json={"premoderation": False})
    ids = []
    for n in range(questions):
        reply = server.api(
            "POST",
            "/events/ssc25/questions",
            json={
                "text": f"Storm question {n}: what should the panel discuss next?",
                "theme": "ssc",
                "via": "online",
                "client_id": f"storm-asker-{n:03d}",
                "client_msg_id": f"storm-question-{n:03d}",
            },
        )
        ids.append(reply["question"]["id"])

    attendees = [
        Attendee(server.url, "ssc25", f"storm-attendee-{i:05d}", "room" if i % 2 else "online")
        for i in range(clients)
    ]
    moderator = Moderator(server.url, "ssc25", TOKEN)
    started = time.monotonic()
    await connect_all([moderator, *attendees])
    connect_s = time.monotonic() - started
    print(f"  {clients} attendees connected in {connect_s:.1f} s")

    rng = random.Random(7)
    plan = [
        (rng.uniform(0, window), a, qid) for a in attendees for qid in rng.sample(ids, votes_each)
    ]
    expected = Counter(qid for _at, _a, qid in plan)
    refused: list[str] = []
    cpu_before = cpu_seconds(server.process.pid)
    t0 = time.monotonic()

    timed_out = []

    async def cast(at, attendee, qid):
        await asyncio.sleep(max(0.0, at - (time.monotonic() - t0)))
        try:
            reply = await attendee.call("vote", {"id": qid}, timeout=call_timeout)
        except socketio.exceptions.TimeoutError:
            timed_out.append(qid)
            return time.monotonic()
        if "error" in reply:
            refused.append(reply["error"]["code"])
        return time.monotonic()

    acked = await asyncio.gather(*(cast(*item) for item in plan))
    last_vote = max(acked)
    truth = {q["id"]: q["votes"] for q in server.api("GET", "/events/ssc25/questions")["questions"]}
    server_exact = truth == dict(expected) and not refused

    # Wait until everyone holds the exact final counts, noting when each got there.
    reached: dict[int, float] = {}
    everyone = [moderator, *attendees]
    deadline = last_vote + settle
    while len(reached) < len(everyone) and time.monotonic() < deadline:
        now = time.monotonic()
        for index, client in enumerate(everyone):
            if index not in reached and latest_counts(client.votes) == truth:
                reached[index] = now
        await asyncio.sleep(0.05)
    cpu_after = cpu_seconds(server.process.pid)
    lags = sorted(reached[i] - last_vote for i in reached)

    per_second = []
    for attendee in attendees:
        bins = Counter(int(at - t0) for at, _data in attendee.votes if at >= t0)
        per_second.append(max(bins.values()) if bins else 0)
    # Coalesced: every count message also goes to the moderator, so it counts them all.
    # Per vote: one message per stored vote, by construction (the moderator may not have
    # received them all before the run ended).
    emits = sum(truth.values()) if per_vote else len(moderator.votes)
    delivered = sum(len(a.votes) for a in attendees)
    await close_all(everyone)
    return {
        "clients": clients,
        "votes": len(plan),
        "refused": len(refused),
        "unacknowledged_within_timeout": len(timed_out),
        "count_messages_received_by_moderator": len(moderator.votes),
        "connect_s": round(connect_s, 1),
        "vote_window_s": round(last_vote - t0, 2),
        "server_counts_exact": server_exact,
        "moderator_exact": 0 in reached,
        "attendees_exact": sum(1 for i in reached if i > 0),
        "all_exact_within_1s": len(reached) == len(everyone) and (lags[-1] if lags else 0) <= 1.0,
        "final_count_lag_s": {
            "median": round(statistics.median(lags), 3) if lags else None,
            "max": round(lags[-1], 3) if lags else None,
        },
        "updates_per_attendee_per_s": {
            "max": max(per_second),
            "median": statistics.median(per_second),
        },
        "count_messages_emitted": emits,
        "messages_delivered_to_attendees": delivered,
        "server_cpu_s": round(cpu_after - cpu_before, 2),
    }


def report(title: str, r: dict) -> None:
    print(f"\n{title}")
    print(
        f"  {r['votes']} votes from {r['clients']} attendees in {r['vote_window_s']} s, "
        f"{r['refused']} refused, {r['unacknowledged_within_timeout']} not acknowledged in time; "
        f"server counts exact: {r['server_counts_exact']}"
    )
    print(
        f"  exact at the moderator: {r['moderator_exact']}; at attendees: "
        f"{r['attendees_exact']} / {r['clients']}; final-count lag after the last vote: "
        f"median {r['final_count_lag_s']['median']} s, max {r['final_count_lag_s']['max']} s"
    )
    print(
        f"  count updates per attendee per second: max {r['updates_per_attendee_per_s']['max']}, "
        f"median {r['updates_per_attendee_per_s']['median']}"
    )
    print(
        f"  count messages emitted: {r['count_messages_emitted']} (each to every attendee), "
        f"delivered to attendees: {r['messages_delivered_to_attendees']}; "
        f"server CPU: {r['server_cpu_s']} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--votes-each", type=int, default=5)
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which to vote")
    parser.add_argument("--settle", type=float, default=30.0, help="longest wait for the counts")
    parser.add_argument(
        "--compare", action="store_true", help="also run with every vote broadcast as it comes"
    )
    parser.add_argument(
        "--call-timeout",
        type=float,
        default=120.0,
        help="longest wait for one vote's acknowledgement",
    )
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    figures: dict = {"machine": machine()}
    modes = [("coalesced", "250")] + ([("per_vote", "0")] if args.compare else [])
    for name, interval in modes:
        server = Server(env={"VOTE_BROADCAST_INTERVAL_MS": interval}).start()
        try:
            print(f"{name}: VOTE_BROADCAST_INTERVAL_MS={interval}")
            figures[name] = asyncio.run(
                run(
                    server,
                    args.clients,
                    args.questions,
                    args.votes_each,
                    args.window,
                    args.settle,
                    args.call_timeout,
                    interval == "0",
                )
            )
        finally:
            server.stop()
        report(name, figures[name])
    if args.compare:
        sent = {m: figures[m]["count_messages_emitted"] for m, _ in modes}
        figures["messages_ratio_per_vote_to_coalesced"] = round(
            sent["per_vote"] / max(sent["coalesced"], 1), 1
        )
        print(
            f"\nper-vote broadcasting emitted {figures['messages_ratio_per_vote_to_coalesced']}x "
            f"the count messages of coalescing (each sent to all {args.clients} attendees)"
        )
    write_json(args.json, figures)
    ok = figures["coalesced"]["all_exact_within_1s"] and figures["coalesced"]["server_counts_exact"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
