"""The sandbox's final table: one row per run, with the verdict of its expectations."""


def show(runs, missing=()):
    """Prints the table; returns the number of runs that did not end as expected (plus missing ones)."""
    header = ("RUN", "ACTION", "PHASE", "REASON", "EXIT", "HANDLER RUNS", "CHECK", "EXIT HANDLER PRINTED")
    rows = []
    for run in sorted(runs, key=lambda r: r.key):
        rows.append((run.key, run.action, run.phase or "-", run.reason or "-", run.exit_code or "-",
                     str(len(run.handler_runs())), run.verdict(), run.handler_output() or "-"))
    for cron in missing:
        rows.append((f"{cron} (CronOMJob)", "wait", "-", "-", "-", "0", "no scheduled run", "-"))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    print()
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])
    print(flush=True)
    return sum(1 for row in rows if row[6] != "ok")
