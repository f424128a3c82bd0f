INSERT INTO devin.session_snapshots SELECT * FROM {stage};
