#!/usr/bin/env python3
"""Generates src/shape/digitTables.ts: single-digit add/sub/mul tables for type-level arithmetic."""
from pathlib import Path


def table(name, f, doc):
    rows = []
    for a in range(10):
        cells = ", ".join(f(a, b) for b in range(10))
        rows.append(f"  '{a}': [{cells}]")
    return f"/** {doc} */\nexport type {name} = {{\n" + ",\n".join(rows) + "\n}\n"


out = [
    "/**\n * Lookup tables for single-digit arithmetic on decimal digit strings (generated; see scripts/gen-digit-tables.py).\n"
    " * Each entry is `[carryOrBorrow, digit]`.\n * @module\n */\n",
    "/** A decimal digit character. */\nexport type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9'\n",
    table("AddDigit", lambda a, b: f"['{(a+b)//10}', '{(a+b)%10}']", "`AddDigit[a][b]` = a + b as [carry, digit]."),
    table("AddDigitCarry", lambda a, b: f"['{(a+b+1)//10}', '{(a+b+1)%10}']", "`AddDigitCarry[a][b]` = a + b + 1 as [carry, digit]."),
    table("SubDigit", lambda a, b: f"['{1 if a-b < 0 else 0}', '{(a-b)%10}']", "`SubDigit[a][b]` = a − b as [borrow, digit]."),
    table("SubDigitBorrow", lambda a, b: f"['{1 if a-b-1 < 0 else 0}', '{(a-b-1)%10}']", "`SubDigitBorrow[a][b]` = a − b − 1 as [borrow, digit]."),
    table("MulDigit", lambda a, b: f"['{(a*b)//10}', '{(a*b)%10}']", "`MulDigit[a][b]` = a · b as [carry, digit] (carry 0–8)."),
]
Path(__file__).resolve().parent.parent.joinpath("src/shape/digitTables.ts").write_text("\n".join(out))
