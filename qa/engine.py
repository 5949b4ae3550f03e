"""The engine: one configured model + one loaded index, answering searches and questions.

It is what the CLI, the web app and the evaluation share, and the Python API:

    from qa.engine import Engine
    engine = Engine.open(Config.from_env(index_dir=Path("index")))
    answer = engine.ask("2020年高新区专利申请量达到多少件？")
"""
from __future__ import annotations

import sys
import threading
from typing import Callable

from .config import Config
from .embedding import Embedder, make_embedder, model_id_for
from .errors import IndexMissingError
from .answer import Answer
from .build import BuildSummary, build_index
from .index import Index, load_index
from .retriever import Hit, Mode, Retriever

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def tqdm_progress(desc: str = "嵌入片段"):
    """A progress factory for build_index that draws a tqdm bar on stderr."""
    from tqdm import tqdm

    def start(total: int):
        bar = tqdm(total=total, desc=desc, unit="段", file=sys.stderr, leave=False)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()
        return tick
    return start


def tqdm_files(desc: str = "读取文件"):
    """An on_file callback for build_index that draws a tqdm bar of the files read."""
    from tqdm import tqdm

    bar = None

    def on_file(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=desc, unit="个", file=sys.stderr, leave=False)
        bar.update(done - bar.n)
        bar.set_postfix_str(name[-30:], refresh=False)
        if done >= total:
            bar.close()
    return on_file


class Engine:
    def __init__(self, config: Config, embedder: Embedder | None = None, log: Log = _stderr,
                 reader=None):
        self.config = config
        self.log = log
        self._embedder = embedder
        self._index: Index | None = None
        self._reader = reader  # qa.reader.Reader, or a stand-in with the same read()
        self._lock = threading.Lock()  # swaps the index atomically while questions go on

    # -- parts, made on first use so `qa --help` and index checks stay instant
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.config, log=self.log)
        return self._embedder

    @property
    def reader(self):
        """The span reader (its model loads on the first question)."""
        if self._reader is None:
            from .reader import Reader

            self._reader = Reader(self.config, log=self.log)
        return self._reader

    @property
    def model_id(self) -> str:
        return self._embedder.model_id if self._embedder is not None else model_id_for(self.config)

    @property
    def index(self) -> Index:
        if self._index is None:
            index = load_index(self.config.index_dir, expected_model_id=self.model_id,
                               corpus_dir=self.config.corpus_dir)
            for warning in index.warnings:
                self.log(f"注意：{warning}")
            self._index = index
        return self._index

    @classmethod
    def open(cls, config: Config, embedder: Embedder | None = None, log: Log = _stderr,
             build_if_needed: bool = False, progress=None, reader=None) -> "Engine":
        """An engine with its index loaded; with build_if_needed, a missing or stale index is
        (re)built first."""
        engine = cls(config, embedder, log, reader)
        if build_if_needed:
            try:
                stale = bool(engine.index.warnings)
            except IndexMissingError:
                stale = True
            if stale:
                engine.rebuild(progress=progress)
        else:
            engine.index
        return engine

    def rebuild(self, progress=None, on_file=None) -> BuildSummary:
        """Build a new index and swap it in; questions meanwhile are answered from the old one.
        `on_file(done, total, name)` follows the files being read, `progress` the embedding."""
        summary = build_index(self.config, self.embedder, log=self.log, progress=progress,
                              on_file=on_file)
        fresh = load_index(self.config.index_dir, expected_model_id=self.model_id,
                           corpus_dir=self.config.corpus_dir)
        with self._lock:
            self._index = fresh
        return summary

    def retriever(self) -> Retriever:
        with self._lock:
            return Retriever(self.index, self.embedder, self.config)

    def search(self, question: str, k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        return self.retriever().search(question, k=k, mode=mode)

    def ask(self, question: str, previous: str | None = None,
            mode: Mode = "hybrid") -> Answer:
        """Answer a question from the report. `previous` is the question before it in a
        conversation, so that a follow-up like 那授权量呢？ is understood."""
        from .answerer import answer_question
        from .question import clean_question

        question = clean_question(question, self.config.max_question_chars)
        return answer_question(question, self.retriever(), self.reader, self.config,
                               previous=previous, mode=mode)
