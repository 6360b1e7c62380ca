"""Change alerts of `tracker run --notify`: what changed in a negotiation's status after a
poll (change.py, pure; detect.py reads it from the store), and its delivery to a webhook or a
command, retried with backoff in a thread of its own and recorded (deliver.py, notifier.py)."""
