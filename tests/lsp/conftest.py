"""The language server under test: the real `python -m vecproof lsp` over stdio, driven by
pytest-lsp's client with the captured capabilities of VS Code and Neovim.

`client` is one server per module and client (VS Code: UTF-16 positions; Neovim 0.11: UTF-8);
Both keep the server's InitializeResult as `initialized_with`. `fresh` is a new server per test, for tests that need cold caches (a check that takes a while);
`partials` one that publishes the partial results of a document's first check as often as the
test says.
Every test uses its own document URIs, so tests sharing a server do not see each other.
"""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

CLIENTS = ["visual-studio-code", "neovim"]
SERVER = [sys.executable, "-m", "vecproof", "lsp"]


def make_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every diagnostics notification in order (`published`)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []

    def publish(c: LanguageClient, params: lsp.PublishDiagnosticsParams):
        c.diagnostics[params.uri] = params.diagnostics
        c.published.append(params)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish})
    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS, scope="module")
async def client(lsp_client: LanguageClient, request):
    lsp_client.initialized_with = await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities(request.param)))
    yield
    await lsp_client.shutdown_session()


# a new server per test (each ~5 s of a default run): the races do not depend on the client, so the
# default run takes VS Code's only; the slow run adds Neovim's
FRESH_CLIENTS = [CLIENTS[0], *(pytest.param(c, marks=pytest.mark.slow) for c in CLIENTS[1:])]


@pytest_lsp.fixture(config=CONFIG, params=FRESH_CLIENTS)
async def fresh(lsp_client: LanguageClient, request):
    lsp_client.initialized_with = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(request.param), initialization_options={"debounce": 0}))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG)
async def partials(lsp_client: LanguageClient, request):
    """A fresh server publishing partial results at most every `request.param` ms (0: after every
    theorem; parametrize the test indirectly)."""
    lsp_client.initialized_with = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(CLIENTS[0]), initialization_options={"debounce": 0, "partial": request.param}))
    yield
    await lsp_client.shutdown_session()
