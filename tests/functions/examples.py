"""Documented function examples: parsing Spark's `Examples:` text and running
one example query to a JSON-friendly outcome. Shared by the recorder and the
tests, so both sides are judged the same way."""

from evaluate import run_sql


def parse_examples(text):
    """The example queries of one function's `Examples:` section.

    Each query starts with `> ` and runs to the `;` that ends a line; the
    lines after it, up to the next query, are the printed answer."""
    examples = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if current is not None:
            current.append(line)
            if line.endswith(";"):
                examples.append({"query": " ".join(current)[:-1].strip()})
                current = None
            continue
        if line.startswith("> "):
            body = line[2:].strip()
            if body.endswith(";"):
                examples.append({"query": body[:-1].strip()})
            else:
                current = [body]
    return examples


# Functions whose results depend on the clock: the recorded values were right
# on the day of recording only, so their examples are judged by columns and
# types.
CLOCK_FUNCTIONS = ("current_date", "curdate", "current_timestamp", "now(", "localtimestamp", "unix_timestamp()", "current_time")


def depends_on_clock(query):
    q = query.lower()
    return any(f in q for f in CLOCK_FUNCTIONS)


def run_example(spark, query):
    return run_sql(spark, query)
