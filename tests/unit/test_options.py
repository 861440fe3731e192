"""The options are typed once: the plugin's config and the engine's ``Options`` cannot drift apart."""

from __future__ import annotations

import dataclasses

from macros.config import CitationsConfig, load_options
from macros.options import FROM_THE_SITE, Options


def test_the_config_has_the_engines_options_with_the_same_defaults() -> None:
    schema = dict(CitationsConfig._schema)
    assert list(schema) == [field.name for field in dataclasses.fields(Options) if field.name not in FROM_THE_SITE]
    for name, option in schema.items():
        assert option.default == getattr(Options(), name), name


def test_an_empty_block_gives_the_defaults_and_a_validated_config() -> None:
    config, options, problems = load_options({}, None)
    assert options == Options() and not problems.items
    defaults = {k: v for k, v in dataclasses.asdict(Options()).items() if k not in FROM_THE_SITE}
    assert {name: config[name] for name, _ in CitationsConfig._schema} == defaults


def test_a_set_option_reaches_both() -> None:
    config, options, problems = load_options({"numbering": "page", "max_authors": 3}, None)
    assert not problems.items
    assert (options.numbering, options.max_authors) == ("page", 3)
    assert (config["numbering"], config["max_authors"]) == ("page", 3)
