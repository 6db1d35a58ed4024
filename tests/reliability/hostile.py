"""Hostile Spark Connect requests, built as raw protobuf bytes (the pyspark
client cannot build them: its protobuf library stops at 100 levels). Each
builder is linear in the depth: nested messages are laid out from the
inside out, then written once."""

import uuid

from pyspark.sql.connect.proto import base_pb2, expressions_pb2, relations_pb2


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if not n:
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def _key(field):
    return varint((field << 3) | 2)


def _nest(core, levels):
    """`levels` wrappers around `core`. Each level is (before, after, field):
    the bytes before the field holding the inner message, the field number,
    and the bytes after it, all within one enclosing message (itself a field
    of the next level)."""
    sizes = [len(core)]
    for before, after, field, outer in levels:
        inner = sizes[-1]
        body = len(before) + len(_key(field)) + len(varint(inner)) + inner + len(after)
        sizes.append(len(_key(outer)) + len(varint(body)) + body if outer else body)
    parts = []
    # Outermost first: each level's prefix, then the core, then suffixes.
    for (before, after, field, outer), inner, total in reversed(list(zip(levels, sizes, sizes[1:]))):
        body = len(before) + len(_key(field)) + len(varint(inner)) + inner + len(after)
        if outer:
            parts.append(_key(outer) + varint(body))
        parts.append(before + _key(field) + varint(inner))
    prefix = b"".join(parts)
    suffix = b"".join(after for _, after, _, _ in levels)
    return prefix + core + suffix


def _request(plan_bytes):
    req = base_pb2.ExecutePlanRequest(session_id=str(uuid.uuid4()), user_context=base_pb2.UserContext(user_id="hostile"))
    return req.SerializeToString() + _key(3) + varint(len(plan_bytes)) + plan_bytes


def nested_expression_request(depth):
    """`SELECT ((id + 1) + 1) ... FROM range(3)`, `depth` levels of `+`."""
    column = expressions_pb2.Expression(unresolved_attribute=expressions_pb2.Expression.UnresolvedAttribute(unparsed_identifier="id"))
    one = expressions_pb2.Expression(literal=expressions_pb2.Expression.Literal(integer=1)).SerializeToString()
    name = _key(1) + varint(1) + b"+"
    # Expression{unresolved_function(3): UnresolvedFunction{name(1), arguments(2): inner, arguments(2): one}}
    level = (name, _key(2) + varint(len(one)) + one, 2, 3)
    expr = _nest(column.SerializeToString(), [level] * depth)
    rng = relations_pb2.Relation(range=relations_pb2.Range(start=0, end=3, step=1)).SerializeToString()
    # Relation{project(3): Project{input(1): range, expressions(3): expr}}
    project = _key(1) + varint(len(rng)) + rng + _key(3) + varint(len(expr)) + expr
    rel = _key(3) + varint(len(project)) + project
    plan = _key(1) + varint(len(rel)) + rel
    return _request(plan)


def nested_relation_request(depth):
    """`range(3)` under `depth` projections of `id`."""
    column = expressions_pb2.Expression(unresolved_attribute=expressions_pb2.Expression.UnresolvedAttribute(unparsed_identifier="id")).SerializeToString()
    exprs = _key(3) + varint(len(column)) + column
    # Relation{project(3): Project{input(1): inner, expressions(3): id}}
    level = (b"", exprs, 1, 3)
    rng = relations_pb2.Relation(range=relations_pb2.Range(start=0, end=3, step=1)).SerializeToString()
    rel = _nest(rng, [level] * depth)
    plan = _key(1) + varint(len(rel)) + rel
    return _request(plan)
