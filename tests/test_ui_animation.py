from ui.figures.animation import button_row, frame_args, jump_button, pause_button, play_button, play_buttons, scrubber


def test_frames_never_redraw_and_never_transition():
    for args in (frame_args(), frame_args(90, from_current=True)):
        assert args["frame"]["redraw"] is False and args["transition"] == {"duration": 0}
        assert args["mode"] == "immediate"
    assert "fromcurrent" not in frame_args(0)
    assert frame_args(35, from_current=False)["frame"]["duration"] == 35


def test_buttons_animate_the_named_frames():
    play = play_button("▶", 90, ["0", "5"], from_current=False)
    assert play["method"] == "animate" and play["args"][0] == ["0", "5"]
    assert play["args"][1]["fromcurrent"] is False and play["args"][1]["frame"]["duration"] == 90
    assert play_button("▶", 90)["args"][0] is None  # all frames
    assert jump_button("your t", "0.1")["args"] == [["0.1"], frame_args()]
    assert pause_button()["args"][0] == [None]  # Plotly's way to stop an animation


def test_the_standard_row_plays_at_three_speeds_and_pauses():
    row = play_buttons()
    labels = [b["label"] for b in row["buttons"]]
    assert labels == ["▶ Play", "❚❚ Pause", "Slow", "Fast"]
    play, _, slow, fast = (b["args"][1]["frame"]["duration"] for b in row["buttons"])
    assert slow > play > fast > 0
    assert button_row([], pad_top=7, y=-0.1)["pad"]["t"] == 7


def test_scrubber_has_one_stop_per_frame():
    s = scrubber(["0", "10", "20"], ["a", "b", "c"], active=2, prefix="up to ", len=0.5)
    assert [st["label"] for st in s["steps"]] == ["a", "b", "c"]
    assert [st["args"][0] for st in s["steps"]] == [["0"], ["10"], ["20"]]
    assert s["active"] == 2 and s["currentvalue"]["prefix"] == "up to " and s["len"] == 0.5


def test_scrubber_tick_labels_are_14_px_or_hidden():
    from ui.figures.animation import MAX_TICK_LABELS

    few = scrubber([str(i) for i in range(5)])
    assert few["font"] == {"size": 14} and few["currentvalue"]["font"]["size"] >= 14
    many = scrubber([str(i) for i in range(MAX_TICK_LABELS + 1)])
    assert many["font"]["size"] >= 14 and many["font"]["color"] == "rgba(0,0,0,0)"
    # hidden ticks keep their labels: the current value above the slider prints them
    assert [st["label"] for st in many["steps"]] == [str(i) for i in range(MAX_TICK_LABELS + 1)]
    assert scrubber(["a", "b"], tick_labels=False)["font"]["color"] == "rgba(0,0,0,0)"
    assert "color" not in scrubber([str(i) for i in range(40)], tick_labels=True)["font"]
