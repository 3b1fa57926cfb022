import json
import subprocess
import sys

from govpub.textcheck.cli import main

from .filemakers import VALID_ID


def test_clean_file_exit_0(tmp_path, capsys):
    p = tmp_path / "ok.txt"
    p.write_text("全区上下要坚定信心，推动高质量发展。", "utf-8")
    assert main([str(p)]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_block_exit_1_text_format(tmp_path, capsys):
    p = tmp_path / "bad.txt"
    p.write_text(f"第一行\n身份证号{VALID_ID}", "utf-8")
    assert main([str(p)]) == 1
    out = capsys.readouterr().out
    assert f"{p}:2:5:" in out and "privacy.id_card" in out and "110101**********14" in out


def test_json_format(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text("认真布署", "utf-8")
    b = tmp_path / "b.txt"
    b.write_text("秘密★1年", "utf-8")
    assert main([str(a), str(b), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in data["results"]] == [str(a), str(b)]
    f = data["results"][0]["findings"][0]
    assert set(f) == {"category", "rule", "severity", "start", "end", "text", "message",
                      "suggestion", "basis", "location"}
    assert f["text"] == "布署" and f["start"] == 2 and f["suggestion"] == "部署"


def test_unreadable_exit_2(tmp_path, capsys):
    ok = tmp_path / "ok.txt"
    ok.write_text(f"身份证号{VALID_ID}", "utf-8")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert main([str(ok), str(bad), str(tmp_path / "missing.pdf")]) == 2
    captured = capsys.readouterr()
    assert "无法读取" in captured.err and "不存在" in captured.err
    assert "privacy.id_card" in captured.out  # the readable input is still reported


def test_extra_lexicon(tmp_path, capsys):
    lex = tmp_path / "lex.tsv"
    lex.write_text("临空特色词\tsensitive\tblock\t换个说法\t\n", "utf-8")
    p = tmp_path / "a.txt"
    p.write_text("出现临空特色词", "utf-8")
    assert main([str(p)]) == 0
    assert main([str(p), "--lexicon", str(lex)]) == 1
    bad = tmp_path / "bad.tsv"
    bad.write_text("词\tnosuch\n", "utf-8")
    assert main([str(p), "--lexicon", str(bad)]) == 2
    assert "未知的类别" in capsys.readouterr().err


def test_stdin_via_module_subprocess():
    run = subprocess.run([sys.executable, "-m", "govpub.textcheck", "-", "--format", "json"],
                         input=f"手机13912345678，身份证{VALID_ID}".encode(), capture_output=True,
                         timeout=60)
    assert run.returncode == 1, run.stderr.decode()
    data = json.loads(run.stdout)
    assert data["results"][0]["source"] == "-"
    assert {f["rule"] for f in data["results"][0]["findings"]} >= {"privacy.id_card", "privacy.mobile"}
    run = subprocess.run([sys.executable, "-m", "govpub.textcheck", "-"],
                         input="<p>正常的政务信息。</p>".encode(), capture_output=True, timeout=60)
    assert run.returncode == 0
