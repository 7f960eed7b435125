"""How a running block handles its output piece by piece: the completion marker wherever the
pieces split it, the screen kept for prompts, and the line counter that says a new line began."""

from __future__ import annotations

import re

import pytest

from tutor.runner.block import Block
from tutor.runner.redact import Redactor

HEAD = "__TUTOR_DONE_0123456789abcdef:"


class Host:
    """A `BlockHost` without a shell: what the block shows and what it types are kept."""

    def __init__(self) -> None:
        self.marker_head = HEAD
        self.marker = re.compile(re.escape(HEAD) + r"(\d+):(\d+):(\d*):([pi])__")
        self.carry = ""
        self.redactor = Redactor()
        self.shown: list[str] = []
        self.typed: list[str] = []
        self.on_output = self.shown.append

    def type_keys(self, data: str) -> None:
        self.typed.append(data)


def _block(host: Host, prompts: tuple[tuple[str, str], ...] = ()) -> Block:
    return Block(host, 7, prompts, visible=True)


OUTPUTS = [
    "plain output without the head's first character\n",
    "paths_with_underscores and __dunder__ names, then __TUTOR_DONE_ but another nonce\n",
    "y" * 70000,
]


@pytest.mark.parametrize("output", OUTPUTS, ids=["plain", "underscores", "long"])
def test_the_marker_ends_the_block_wherever_the_pieces_split_it(output: str) -> None:
    stream = output + HEAD + "7:3:2:p__" + "next block's output"
    for cut in sorted({1, len(output) - 1, len(output), len(output) + 5, len(output) + len(HEAD), len(stream) - 25}):
        host = Host()
        block = _block(host)
        block.feed(stream[:cut])
        assert not block.done
        block.feed(stream[cut:])
        assert block.done and block.status == 3 and block.line == 2
        assert block.outcome().output == output and "".join(host.shown) == output
        assert host.carry == "next block's output"


def test_the_start_of_a_marker_is_held_back_until_it_is_complete_or_is_not_one() -> None:
    host = Host()
    block = _block(host)
    block.feed("ready " + HEAD[:9])
    assert "".join(host.shown) == "ready "  # "__TUTOR_D" may be the marker's beginning: not shown yet
    block.feed("ONE, said the log\n")
    assert "".join(host.shown) == "ready __TUTOR_DONE, said the log\n"
    assert not block.done


def test_the_marker_of_another_block_is_taken_out_and_the_block_goes_on() -> None:
    host = Host()
    block = _block(host)
    block.feed("before " + HEAD + "6:0::p__" + "after\n")
    assert not block.done and "".join(host.shown) == "before after\n"


def test_the_line_counter_changes_exactly_when_a_piece_holds_a_newline() -> None:
    host = Host()
    block = _block(host)
    seen = [block.newlines]
    for piece in ("Password: ", "\n", "x" * 100, "a\nb\nc\n", "Continue? [y/N] "):
        block.feed(piece)
        seen.append(block.newlines)
    changed = [after != before for before, after in zip(seen, seen[1:])]
    assert changed == [False, True, False, True, False]


def test_a_piece_longer_than_the_screen_keeps_its_end_for_prompts_and_the_last_line() -> None:
    host = Host()
    block = _block(host, (("Continue? [y/N]", "y"),))
    block.feed("z" * 200_000 + "\nlast words, Continue? [y/N] ")
    assert block.last_line() == "last words, Continue? [y/N] "
    block.match_prompts()
    assert block.answer == ("Continue? [y/N]", "y")
    block.send_answer()
    assert host.typed == ["y\r"]


def test_a_prompt_already_answered_is_not_found_again_after_a_long_piece() -> None:
    host = Host()
    block = _block(host, (("Continue?", "y"), ("Continue?", "n")))
    block.feed("Continue? ")
    block.match_prompts()
    block.send_answer()
    block.feed("q" * 100_000)  # the old prompt scrolls out of the kept screen
    block.match_prompts()
    assert block.answer is None
    block.feed("\nContinue? ")
    block.match_prompts()
    assert block.answer == ("Continue?", "n")


def test_a_prompt_followed_by_more_output_in_the_same_piece_is_still_found() -> None:
    host = Host()
    block = _block(host, (("Proceed?", "yes"),))
    block.feed("Proceed? " + "q" * 70_000)  # under two screens: kept whole, as piece by piece
    block.match_prompts()
    assert block.answer == ("Proceed?", "yes")
