"""Documented function examples: parsing Spark's `Examples:` text and running
one example query to a JSON-friendly outcome. Shared by the recorder and the
tests, so both sides are judged the same way."""

from evaluate import error_outcome, normalize


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


def run_example(spark, query):
    try:
        df = spark.sql(query)
        schema = df.schema
        rows = df.collect()
        return {
            "columns": df.columns,
            "schema": schema.simpleString(),
            "rows": [[normalize(x) for x in r] for r in rows],
        }
    except Exception as e:  # noqa: BLE001 - an error is an outcome to compare
        return error_outcome(e)
