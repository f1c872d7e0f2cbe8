#!/usr/bin/env python3
"""Signed Slack requests for the ack-path benchmark, signed now with the v0 scheme (HMAC-SHA256 of v0:ts:body).

  signed.py lua KIND COUNT OUT.lua          a wrk script that sends COUNT distinct signed requests round-robin
                                            (KIND: command | press; env SECRET, INCIDENTS for press)
  signed.py post URL BODY                   one signed form POST; prints the status and the answer

Every request is distinct: a slash command has its own trigger_id and channel, so IncidentBot's duplicate-command
guard (same trigger_id within 10 minutes, or same user, channel and text within 5 s, 20,000 keys remembered) never
answers "Already received" instead of running it; a press has its own trigger_id and action_ts. With COUNT above
20,000 a key comes back only after the guard has forgotten it. The two wrk threads take alternate requests, so they
never send the same one at the same time (pass the thread count after --).
"""
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.parse
import urllib.request


def sign(secret, body, ts):
    return "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()


def command_body(i, text="help"):
    return urllib.parse.urlencode({
        "token": "bench", "team_id": "TBENCH", "team_domain": "bench",
        "channel_id": f"CB{i:06d}", "channel_name": f"bench-{i}", "user_id": "UBENCH0", "user_name": "alice",
        "command": "/incident", "text": text, "api_app_id": "ABENCH", "is_enterprise_install": "false",
        "response_url": "http://127.0.0.1:18109/response", "trigger_id": f"{i}.{os.getpid()}.{int(time.time())}.bench",
    })


def press_body(i, incident):
    """An Acknowledge pressed on an escalation ping of an incident someone already acknowledged: the button's guard
    (state:Declared) no longer holds, so the bot refuses it as stale from the stored state, writes nothing and tells the
    presser through response_url, queued after the acknowledgement, once per button in 10 s (a repeat by the same
    person is not told again). A valid press, answered at once."""
    value = f"{incident}|state:Declared|ack {incident}"
    ts = f"1764640000.{i:06d}"
    blocks = [
        {"type": "section", "block_id": "ping", "text": {"type": "mrkdwn", "text": f"*{incident}* sev2: bench. <@UBENCH0>, please acknowledge."}},
        {"type": "actions", "block_id": "buttons", "elements": [
            {"type": "button", "action_id": "ack", "text": {"type": "plain_text", "text": "Acknowledge"}, "value": value, "style": "primary"}]},
    ]
    payload = {
        "type": "block_actions",
        "user": {"id": "UBENCH1", "username": "bob", "name": "bob", "team_id": "TBENCH"},
        "api_app_id": "ABENCH", "token": "bench",
        "container": {"type": "message", "message_ts": ts, "channel_id": "CBENCH", "is_ephemeral": False},
        "trigger_id": f"{i}.{os.getpid()}.{int(time.time())}.press",
        "team": {"id": "TBENCH", "domain": "bench"},
        "channel": {"id": "CBENCH", "name": "inc-bench"},
        "message": {"type": "message", "ts": ts, "text": f"{incident}: please acknowledge", "blocks": blocks},
        "response_url": "http://127.0.0.1:18109/response",
        "actions": [{"action_id": "ack", "block_id": "buttons", "text": {"type": "plain_text", "text": "Acknowledge", "emoji": True},
                     "value": value, "style": "primary", "type": "button", "action_ts": f"{int(time.time())}.{i:06d}"}],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def lua(kind, count, out):
    secret = os.environ["SECRET"]
    incidents = os.environ.get("INCIDENTS", "INC-1").split(",")
    ts = str(int(time.time()))
    path = "/slack/commands" if kind == "command" else "/slack/interactions"
    with open(out, "w") as f:
        f.write("local bodies, signatures, requests = {}, {}, {}\n")
        for i in range(count):
            body = command_body(i) if kind == "command" else press_body(i, incidents[i % len(incidents)])
            f.write("signatures[%d] = '%s'; bodies[%d] = [==[%s]==]\n" % (i + 1, sign(secret, body, ts), i + 1, body))
        f.write("""
-- Formatted in init: wrk knows the host only then (a request without Host is a 400).
local n = #bodies
local threads = 0
function setup(thread) thread:set("first", threads); threads = threads + 1 end
function init(args)
  idx = (first or 0) + 1; stride = tonumber(args[1]) or 1
  for k = 1, n do
    requests[k] = wrk.format('POST', '%s', {['Content-Type'] = 'application/x-www-form-urlencoded',
      ['X-Slack-Request-Timestamp'] = '%s', ['X-Slack-Signature'] = signatures[k]}, bodies[k])
  end
end
function request() local r = requests[idx]; idx = idx + stride; if idx > n then idx = idx - n end; return r end
""" % (path, ts))


def post(url, body):
    ts = str(int(time.time()))
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(os.environ["SECRET"], body, ts)})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            print(r.status, r.read().decode()[:300])
    except urllib.error.HTTPError as e:
        print(e.code, e.read().decode()[:300])


if __name__ == "__main__":
    if sys.argv[1] == "lua":
        lua(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1] == "post":
        post(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "command":  # a command body, for seeding: signed.py command TEXT N
        print(command_body(int(sys.argv[3]), sys.argv[2]))
    elif sys.argv[1] == "press":  # one press body: signed.py press INC-1
        print(press_body(0, sys.argv[2]))
