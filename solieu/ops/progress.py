"""The progress line long commands write on stderr."""


def progress_line(stream, what):
    """A callback (n, total, label) that rewrites one line: "sao lưu [####      ] 12/40 bảng x"."""

    def show(n, total, label):
        bar = "#" * (20 * n // total) if total else ""
        stream.write(f"\r{what} [{bar:<20}] {n}/{total} {label[:40]:<40}", ending="")
        stream.flush()

    return show
