"""The Korean catalog follows its glossary (assets/i18n/glossary.md): no banned variant of a term, 합니다체
throughout, titles that are noun phrases, and the specific fixes of the Korean review stay fixed.

The glossary's table "쓰지 않는 말" is read here: each row is a banned text (`literal` or `/regex/`), what to say
instead, and the phrases (each containing the banned text) where it is still right.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

I18N = Path(__file__).resolve().parents[1] / "assets" / "i18n"
GLOSSARY = (I18N / "glossary.md").read_text(encoding="utf-8")
BANNED_HEADER = "| 쓰지 않는 말 | 대신 | 허용되는 문맥 |"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


KO = _flatten(tomllib.loads((I18N / "ko.toml").read_text(encoding="utf-8")))


# ---- the glossary's banned table ------------------------------------------------------------------------------

def _cells(line: str) -> list[str]:
    """A markdown table row's cells; ``\\|`` is a literal pipe inside a cell."""
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [part.strip().replace(r"\|", "|") for part in parts]


def banned_rows(glossary: str = GLOSSARY) -> list[tuple[re.Pattern, str, str, list[str]]]:
    """(pattern, banned text as written, instead, allowed phrases) for every row of the banned table."""
    lines = glossary.splitlines()
    start = lines.index(BANNED_HEADER) + 2  # skip the |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        banned, instead, allowed = _cells(line)
        code = re.fullmatch(r"`(.+)`", banned)
        assert code, f"the banned text must be in backticks: {line}"
        text = code.group(1)
        regex = re.fullmatch(r"/(.+)/", text)
        pattern = re.compile(regex.group(1) if regex else re.escape(text))
        rows.append((pattern, text, instead, re.findall(r"`([^`]+)`", allowed)))
    return rows


BANNED = banned_rows()


def banned_in(text: str) -> list[str]:
    """The banned texts found in ``text``, outside the allowed phrases of their row."""
    found = []
    for pattern, name, instead, allowed in BANNED:
        covered = [(m.start(), m.end()) for phrase in allowed for m in re.finditer(re.escape(phrase), text)]
        for m in pattern.finditer(text):
            if not any(a <= m.start() and m.end() <= b for a, b in covered):
                found.append(f"{name} → {instead}")
    return found


# ---- register: 합니다체, noun-phrase titles ---------------------------------------------------------------------

LATEX = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)
FIELD = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"<[^>]+>")
END = r"(?=\s*(?:[.!?…:)]|\*\*|$))"  # what may follow a sentence's last syllable
HAEYO = re.compile(r"(?<!세)요" + END + r"|죠" + END, re.M)  # 갈까요?, 해요., 에요. (the imperative -세요 is fine)
HANDA = re.compile(r"(?<=[\uac00-\ud7a3])(?<!니)다" + END, re.M)  # 흩어진다, 둔감하다 (not 합니다, not "둘 다")
PLAIN_QUESTION = re.compile(r"(?:(?<!니)까|[가나냐니])\?")  # 나눌까?, 놓는가? (합니까? is 합니다체)
TITLE_KEY = re.compile(r"(?:^|\.)(?:title|page_title|race_title|\w*heading)$")
PAGE_NAMES = {f"app.{page}" for page in ("home", "taylor", "stochastic", "momentum", "adaptive", "adam",
                                         "lookahead", "compare", "conclusion")}
TITLE_END = re.compile(r"(?:니다|요|다|까|는가|인가|\?)$")
PAREN = re.compile(r"(?<=[\uac00-\ud7a3A-Za-z$*]) \(([^()]*)\)(?=[\uac00-\ud7a3])")  # after a word
COORDINATES = re.compile(r"[\d\s.,−\-{}xy]+")


def _prose(text: str) -> str:
    """The words of a string: LaTeX, {fields} and HTML tags set aside."""
    return TAG.sub("", FIELD.sub("0", LATEX.sub("X", text)))


def is_title(key: str) -> bool:
    return bool(TITLE_KEY.search(key)) or key in PAGE_NAMES


def register_problems(key: str, text: str) -> list[str]:
    """What in ``text`` is not 합니다체 (and, for a title, not a noun phrase); empty when all is well."""
    prose = _prose(text)
    problems = [f"해요체 …{prose[max(0, m.start() - 12):m.end() + 1]}" for m in HAEYO.finditer(prose)]
    problems += [f"한다체 …{prose[max(0, m.start() - 12):m.end() + 1]}" for m in HANDA.finditer(prose)]
    problems += [f"반말 질문 …{prose[max(0, m.start() - 12):m.end()]}" for m in PLAIN_QUESTION.finditer(prose)]
    if is_title(key) and TITLE_END.search(prose.strip().strip("*:. ")):
        problems.append(f"title is not a noun phrase: {text}")
    return problems


def spacing_problems(text: str) -> list[str]:
    """A gloss in parentheses followed by a particle must touch its word: 높이(음영)는, not 높이 (음영)는."""
    return [m.group(0) for m in PAREN.finditer(_prose(text)) if not COORDINATES.fullmatch(m.group(1))]


def problems_of(catalog: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for key, text in catalog.items():
        found = banned_in(text) + register_problems(key, text) + spacing_problems(text)
        if found:
            out[key] = found
    return out


# ---- the tests ---------------------------------------------------------------------------------------------------

def test_the_banned_table_is_read_and_sound():
    assert len(BANNED) >= 25
    names = [name for _, name, _, _ in BANNED]
    for term in ("룩어헤드", "예제", "최솟값", "감쇠 평균", "견고성", "둔감", "지도 밖", "고리", "동그라미", "테두리",
                 "미는 힘", "GD 스텝", "GD 경로", "❚❚ 정지", "안장점 곡면", "0 벡터", "2차 모델"):
        assert term in names, term
    for pattern, name, instead, allowed in BANNED:
        assert instead, name
        for phrase in allowed:  # an allowed phrase is a context of the banned text, not a way round it
            assert pattern.search(phrase), (name, phrase)
        first = re.split(r"[ (,;]", instead)[0]
        assert first in GLOSSARY.split(BANNED_HEADER)[0], f"{instead!r} is not in the glossary's tables"


def test_no_banned_variant_no_register_slip_in_the_korean_catalog():
    assert len(KO) > 300
    assert problems_of(KO) == {}


OLD_SLIPS = {  # strings of the catalog before the Korean review: each must be caught
    "home.optimizer_text": "매 스텝 두 가지 질문에 답해야 합니다. **어느 쪽으로**, 그리고 **얼마나 멀리** 갈까요?",
    "momentum.why": "**왜 도움이 될까요?** 경사 하강법에는 기억이 없습니다.",
    "lookahead.noisy_heading": "노이즈 섞인 기울기: 실행마다 덜 흩어진다",
    "lookahead.scenes.robust.title": "α와 k에 둔감하다",
    "adam.bias_heading": "편향 보정: 왜 1 − βᵗ로 나눌까?",
    "compare.sweep_heading": "어떤 학습률이 잘 통할까?",
    "lookahead.parity": "**왜 줄무늬가 생길까?** 순수 경사 하강법이 안정성 한계 가까이 있으면 튑니다.",
    "stochastic.spread_heading": "시드 {n}개를 한꺼번에: 노이즈가 실행들을 얼마나 흩어 놓는가",
    "app.page_title": "옵티마이저는 어떻게 배우는가",
    "conclusion.race_title": "마지막 경주: {surface}에서 아홉 방법이 모두 달립니다",
    "example.haeyo": "이 값은 학습률이에요.",
    "example.handa_mid": "경로는 골짜기를 따라 내려간다. 그리고 멈춥니다.",
}
OLD_TERMS = {
    "figure.minimum": "최솟값",
    "optimizer.lookahead": "룩어헤드",
    "stochastic.scenes.one.title": "예제 하나씩",
    "notices.escaped": "탈출 (손실이 계속 지도 밖으로 떨어짐)",
    "adaptive.rule_rmsprop": "합 대신 g²의 감쇠 평균을 써서 대략 최근 1/(1−ρ) 스텝만 기억합니다.",
    "adam.adam_text": "Adam은 파라미터마다 이동 평균을 두 개 유지합니다.",
    "conclusion.ideas.adam.fixed": "AdaMax는 v 대신 |g|의 누적 최댓값을 씁니다.",
    "home.arrow_text": "화살표는 고리 (시작점)에서 가장 가파르게 내려가는 방향 −∇L을 보여 줍니다.",
    "momentum.part_push": "미는 힘 −t∇L",
    "momentum.step_zero": "0 스텝: 시작점입니다.",
    "momentum.step_sgd": "{n} 스텝: 파선으로 그린 미는 힘 −t∇L이 이동의 전부입니다 ({size}).",
    "notices.diverged_one": "{label}이(가) {step} 스텝에서 발산했습니다",
    "momentum.scenes.overshoot.caption": "무거운 공이 속도의 95 %를 유지합니다.",
    "figure.pause": "❚❚ 정지",
    "taylor.newton_text": "안장점 곡면에서는 최솟값 대신 안장점에 도착합니다.",
    "adam.no_direction": "방향 없음 (0 벡터)",
    "taylor.legend_gd_step": "GD 스텝",
    "lookahead.paper_table": "논문의 견고성 검사",
    "momentum.method": "수치 보기",
    "compare.sweep_note": "동그라미는 위에서 고른 학습률입니다.",
}


@pytest.mark.parametrize("key", sorted(OLD_SLIPS))
def test_the_register_check_catches_the_old_slips(key):
    assert register_problems(key, OLD_SLIPS[key])


@pytest.mark.parametrize("key", sorted(OLD_TERMS))
def test_the_banned_table_catches_the_old_terms(key):
    assert banned_in(OLD_TERMS[key])


def test_the_checks_pass_good_korean():
    for key, text in {"controls.link_caption": "이 주소를 복사하세요. 지금 설정 그대로 이 페이지가 열립니다.",
                      "conclusion.lanes.both": "그 둘 다",
                      "x.caption": "이 실행은 발산합니까? 아닙니다.",
                      "x.title": "α와 k에 대한 강건성",
                      "x.note": "높이(음영)는 손실입니다. 최소점 (0, 0)에 도착합니다.",
                      "x.steps": "300 스텝 뒤, 스텝 {n}에서, {steps} 스텝 후, 알고리즘 1, 테두리 친 칸"}.items():
        assert not register_problems(key, text) and not banned_in(text) and not spacing_problems(text), text
    assert spacing_problems("높이 (음영)는 손실입니다.") and banned_in("높이 (음영)는")
    assert banned_in("지수 이동 평균과 이동 평균") == ["이동 평균 → 지수 이동 평균"]


def test_the_fixes_of_the_korean_review_hold():
    # the elongated bowl, H = diag(1, 25): steep along W₂, the vertical direction
    bowl = KO["surface_help.elongated_quadratic"]
    assert "세로" in bowl and "가로로 25배" not in bowl
    # the ★ marks a place; Himmelblau has four local minima
    assert KO["figure.minimum"] == "최소점" and "★이 최소점입니다" in KO["home.arrow_text"]
    assert "극소점" in KO["surface.himmelblau"] and "극소점" in KO["surface_help.himmelblau"]
    # no 예제, no 룩어헤드 anywhere (held keys included)
    assert not [key for key, text in KO.items() if "예제" in text]
    assert "샘플" in KO["stochastic.scenes.one.title"] and "샘플" in KO["surface_help.least_squares"]
    assert "샘플" in KO["conclusion.ideas.sgd.fixed"]
    assert KO["optimizer.lookahead"] == "Lookahead" and KO["app.lookahead"].endswith("Lookahead")
    assert KO["conclusion.ideas.ranger.name"] == "Ranger = RAdam + Lookahead"
    # one word per thing
    assert KO["adam.inspect"] == KO["adaptive.method"] == KO["momentum.method"] == "숫자로 볼 방법"
    assert KO["momentum.part_push"] == KO["adaptive.part_push"] == "경사 하강 스텝 −t∇L"
    assert KO["taylor.legend_gd_step"] == "경사 하강 스텝" and KO["taylor.legend_path"] == "경사 하강법 경로"
    assert KO["momentum.step_zero"].startswith("스텝 0:") and KO["momentum.step_sgd"].startswith("스텝 {n}:")
    assert KO["lookahead.scenes.robust.title"] == "α와 k에 대한 강건성"
    for key in ("home.arrow_text", "compare.sweep_note", "stochastic.data_caption"):
        assert "빈 원(○)" in KO[key], key
    # escaped: the loss keeps falling as the path leaves the picture
    assert "그림 밖" in KO["notices.escaped"] and "줄어" in KO["notices.escaped"]
    # AdaMax's u decays: u_t = max(β₂ u_{t−1}, |g_t|)
    assert "감쇠" in KO["conclusion.ideas.adam.fixed"] and "누적 최댓값" not in KO["conclusion.ideas.adam.fixed"]
    assert KO["figure.pause"] == "❚❚ 일시 정지"
    # the surface is 안장 곡면; 안장점 stays for the point
    assert KO["surface.saddle"] == "안장 곡면" and "안장 곡면" in KO["taylor.scenes.newton_saddle.title"]
    assert "안장점" in KO["taylor.scenes.newton_saddle.caption"] and "안장점" in KO["adam.scenes.saddle.title"]
    assert "높이(음영)는" in KO["home.intro"] and "영벡터" in KO["adam.no_direction"]
    assert "95%" in KO["momentum.scenes.overshoot.caption"]
    # the Taylor page names the deck's quadratic approximation where the bowl and Newton's model come in
    assert "2차 근사" in KO["taylor.bowl_text"] and "2차 근사" in KO["taylor.newton_text"]
    # stochastic.data_caption: whole sentences in 합니다체
    sentences = re.split(r"\.\s+", KO["stochastic.data_caption"].removesuffix("."))
    assert len(sentences) == 3
    assert all(re.sub(r"\s*\([^()]*\)$", "", s).endswith("니다") for s in sentences), sentences
