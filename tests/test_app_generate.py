"""Generate from the library, under Pilot: the new drill is saved, listed, highlighted, playable."""

from __future__ import annotations

from test_app_support import FIXTURES, services, settle, sync
from textual.widgets import Input, RadioSet

from tui.app.launch import build_app
from tui.app.screens.generate import GenerateScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.new_drill import NewDrillScreen


async def _generate(pilot, seed: str) -> None:
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, GenerateScreen)
    screen.query_one("#generate-seed", Input).value = seed
    level = screen.query_one("#generate-level", RadioSet)
    level.query("RadioButton")[2].value = True  # advanced
    await pilot.press("ctrl+s")
    await settle(pilot)


@sync
async def test_generate_saves_lists_and_highlights_the_new_scenario(tmp_path):
    app = build_app(services(tmp_path, library=[str(FIXTURES)], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await _generate(pilot, "31")
        saved = tmp_path / "scenarios" / "gen-access-control-east-independence-31-advanced.yaml"
        assert saved.is_file()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        entry = library.highlighted()
        assert entry is not None and entry.ok and entry.path == str(saved)
        assert entry.difficulty == "advanced"
        await pilot.press("n")  # and it is playable like a built-in
        await settle(pilot)
        assert isinstance(pilot.app.screen, NewDrillScreen)


@sync
async def test_same_seed_again_keeps_a_hand_edited_file(tmp_path):
    app = build_app(services(tmp_path, library=[str(FIXTURES)], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await _generate(pilot, "5")
        saved = tmp_path / "scenarios" / "gen-access-control-east-independence-5-advanced.yaml"
        edited = saved.read_text().replace("title: ", "title: Edited - ", 1)
        saved.write_text(edited)
        await _generate(pilot, "5")
        assert saved.read_text() == edited
        screen = pilot.app.screen
        assert isinstance(screen, GenerateScreen)
        assert "exists and was edited" in str(screen.query_one("#generate-status").render())


@sync
async def test_a_seed_that_is_not_a_number_is_refused(tmp_path):
    app = build_app(services(tmp_path, library=[str(FIXTURES)], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await _generate(pilot, "")
        assert isinstance(pilot.app.screen, GenerateScreen)
        assert "Seed: a whole number" in str(pilot.app.screen.query_one("#generate-status").render())
        assert not (tmp_path / "scenarios").exists()
