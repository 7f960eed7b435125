"""Runner-only findings (info in lint), config fragments, heredoc JSON, and one diagnostic per defect."""

from __future__ import annotations


def step(code: str, lead: str = "", info: str = "bash") -> str:
    return f"# T\n\n## Step 1: Do it\n\n{lead}\n\n```{info}\n{code}\n```\n"


def test_placeholders_are_info_with_the_line_and_a_variable_to_declare(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("t", body=step('ssh root@YOUR_SERVER_IP\ncurl -H "Bearer <your-token>" https://api.example.com'))
    found = only(folder.lint(), "runner/placeholder")
    assert [(d.line, d.severity.value) for d in found] == [(17, "info"), (18, "info"), (18, "info")]
    assert "$SERVER_IP" in found[0].hint and "$TOKEN" in found[1].hint


def test_real_shell_is_not_a_placeholder(folder, only) -> None:
    folder.sections("Basics")
    code = ("cat <<EOF > f\nx\nEOF\nsort <in.txt >out.txt\ndiff <(echo a) <(echo b)\ncat < f\n"
            "echo $HOME ${HOME} \"$(date)\"  # replace <your-token> later\nNAME_ID=1\necho yourapp.conf")
    folder.tutorial("t", body=step(code, lead="Set NAME_ID first."))
    assert only(folder.lint(), "runner/placeholder") == []


def test_a_bare_token_the_prose_points_at_is_a_placeholder(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("t", body=step("dstack-vmm stop VM_ID", lead="Replace VM_ID with the id from `list`:"))
    [d] = only(folder.lint(), "runner/placeholder")
    assert "`VM_ID`" in d.message


def test_unattended_blocks_are_info_unless_marked(folder, only) -> None:
    folder.sections("Basics")
    body = ("# T\n\n## Step 1: x\n\n```bash\nsudo vim /etc/hosts\n```\n\n```bash\njournalctl -u x -f\n```\n\n"
            "In another terminal, run:\n\n```bash\ncurl 127.0.0.1\n```\n\n```bash {timeout=5}\ntail -f log\n```\n\n"
            "```bash {manual}\nnano x\n```\n")
    folder.tutorial("t", body=body)
    found = only(folder.lint(), "runner/unattended")
    assert [(d.line, d.severity.value) for d in found] == [(15, "info"), (19, "info"), (24, "info")]
    assert "`vim`" in found[0].message and "journalctl" in found[1].message and "another terminal" in found[2].message


def test_find_and_change_fragments_are_not_errors_but_complete_documents_are(folder, only) -> None:
    folder.sections("Basics")
    body = ('# T\n\nFind the line:\n\n```json\n"port": 8080\n```\n\nChange it to:\n\n```json\n"port": 9080,\n```\n\n'
            'Add these lines under `services.app`:\n\n```yaml\n      - KEY=1\n    restart: always\n```\n\n'
            '```json\n{\n  "a": 1,\n}\n```\n')
    folder.tutorial("t", body=body)
    [d] = only(folder.lint(), "blocks/parse")
    assert d.line == 34


def test_json_written_by_a_heredoc_is_checked_as_bash_writes_it(folder, only) -> None:
    # Seed 002: `\\\"` in an unquoted heredoc becomes `\\"`, which ends the JSON string early.
    folder.sections("Basics")
    code = ('cat > "$BUILD_DIR/app-compose-generated.json" << EOF\n{\n'
            '  "docker_compose_file": "services:\\\\n  app:\\\\n    image: $FULL_IMAGE\\\\n    ports:\\\\n      - \\\\\\"3000:3000\\\\\\"\\\\n"\n'
            '}\nEOF\ncat > ok.json <<\'EOF\'\n{"a": "$B"}\nEOF')
    folder.tutorial("t", body=step(code))
    [d] = only(folder.lint(), "blocks/parse")
    assert d.line == 19 and "app-compose-generated.json" in d.message


def test_two_tutorials_sharing_a_number_give_one_diagnostic_and_no_total_cascade(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=3)
    folder.tutorial("b", stepNumber=2, totalSteps=3, prerequisites=["a"])
    folder.tutorial("c", stepNumber=2, totalSteps=3, prerequisites=["b"])
    report = folder.lint()
    assert [d.rule for d in report.diagnostics if d.severity.value == "error"] == ["numbering/duplicate"]
