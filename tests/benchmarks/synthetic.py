"""Synthetic, valid post-mortems for benchmarks: varied enough to exercise every code path."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

SERVICES = [
    "checkout-api",
    "payments-gateway",
    "auth",
    "search",
    "cdn",
    "postgres-orders",
    "kafka",
    "k8s-platform",
    "dns",
    "notifications",
    "storefront-api",
    "image-resizer",
]
TAGS = ["config", "deploy", "capacity", "certificate", "dependency", "data", "security", "dns"]
OWNERS = ["Dana Whitfield", "Omar Haddad", "Lucía Benítez", "Kenji Watanabe", "Amara Lindqvist"]
SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"]


def postmortem(index: int, rng: random.Random) -> tuple[str, str]:
    """One valid post-mortem: its file name and its text."""
    start = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(3_000_000))
    detected = start + timedelta(minutes=rng.randrange(1, 60))
    resolved = detected + timedelta(minutes=rng.randrange(5, 600))
    published = (resolved + timedelta(days=rng.randrange(1, 10))).date()
    severity = rng.choice(SEVERITIES)
    services = rng.sample(SERVICES, rng.randrange(1, 3))
    tags = rng.sample(TAGS, rng.randrange(1, 3))
    slug = f"incident-{index}-{services[0]}"
    name = f"{start:%Y-%m-%d}-{slug}.md"
    rows = []
    at = start
    for step in range(rng.randrange(4, 9)):
        rows.append(f"| {at:%Y-%m-%d %H:%M} | Step {step}: {services[0]} responded with errors |")
        at += timedelta(minutes=rng.randrange(1, 30))
    items = []
    for number in range(rng.randrange(1, 4)):
        due = published + timedelta(days=rng.randrange(7, 90))
        status = rng.choice(["open", "in-progress", "done", "done", "wont-do"])
        items.append(
            f"| Add a load test for {services[0]} covering case {number} | {rng.choice(OWNERS)} "
            f"| {due} | P{rng.randrange(4)} | {status} | OPS-{index * 10 + number} |"
        )
    text = f"""---
title: "{services[0]} errors during incident {index}"
severity: {severity}
status: published
started: {start:%Y-%m-%dT%H:%M:%SZ}
detected: {detected:%Y-%m-%dT%H:%M:%SZ}
resolved: {resolved:%Y-%m-%dT%H:%M:%SZ}
published: {published}
reviewed: {published + timedelta(days=20)}
authors: [{rng.choice(OWNERS)}]
facilitator: {rng.choice(OWNERS)}
services: [{", ".join(services)}]
tags: [{", ".join(tags)}]
impact:
  users_affected: {rng.randrange(10_000)}
  data_loss: false
---

## Summary

Requests to {services[0]} failed for {int((resolved - start).total_seconds() // 60)} minutes
after a change to its configuration reached every region at once.

## Timeline

| Time | Event |
|------|-------|
{chr(10).join(rows)}

## Impact

About {rng.randrange(100, 5000)} customers saw errors. Retries recovered most requests.

## Root Causes

The configuration schema accepted an empty upstream list, and the rollout had no canary stage.
The health check measured process liveness, not the ability to serve requests.

## What Went Well

The error-rate alert paged within minutes, and the rollback runbook worked as written.

## What Could Be Improved

Changes reach every region at once, so a bad value has no small blast radius.

## Action Items

| Action | Owner | Due | Priority | Status | Ticket |
|--------|-------|-----|----------|--------|--------|
{chr(10).join(items)}
"""
    return name, text


def write_knowledge_base(folder: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` post-mortems under ``folder/postmortems`` in yearly subfolders."""
    rng = random.Random(seed)
    target = folder / "postmortems"
    for index in range(count):
        name, text = postmortem(index, rng)
        path = target / name[:4] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target
