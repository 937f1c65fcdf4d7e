"""The per-worker memory of rendered fragments: bounded, and off when its size is 0."""
from portal.web.fragments import FragmentCache


def test_keeps_at_most_its_size_and_drops_the_least_recently_used():
    cache, renders = FragmentCache(2), []

    def render(name):
        return lambda: renders.append(name) or f"<p>{name}</p>"

    cache.get_or_render("a", render("a"))
    cache.get_or_render("b", render("b"))
    cache.get_or_render("a", render("a"))  # kept: not rendered again, and now the most recent
    cache.get_or_render("c", render("c"))  # the third: "b" goes
    assert cache.get_or_render("a", render("a")) == "<p>a</p>"
    cache.get_or_render("b", render("b"))
    assert renders == ["a", "b", "c", "b"]


def test_size_zero_renders_every_time_and_keeps_nothing():
    cache, renders = FragmentCache(0), []
    for _ in range(3):
        cache.get_or_render("a", lambda: renders.append(1) or "<p>a</p>")
    assert len(renders) == 3


def test_forget_makes_the_next_view_render_again():
    cache, renders = FragmentCache(4), []
    cache.get_or_make("banner", lambda: renders.append(1) or ())
    cache.forget("banner")
    cache.get_or_make("banner", lambda: renders.append(1) or ())
    assert len(renders) == 2
