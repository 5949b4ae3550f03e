"""Domain errors. Each message says what went wrong and what to do; the CLI prints it as one line."""


class QAError(Exception):
    """Base class for errors a user can fix."""


class CorpusError(QAError, ValueError):
    """The corpus directory is missing, empty, or holds nothing readable."""


class IndexMissingError(QAError, FileNotFoundError):
    """No index has been built yet."""


class IndexCorruptError(QAError, ValueError):
    """An index file is missing or unreadable."""


class ModelMismatchError(QAError, ValueError):
    """The index was built with another embedding model than the one configured."""


class ModelUnavailableError(QAError, RuntimeError):
    """The embedding model cannot be loaded (not installed, not on disk, no network)."""


class QuestionError(QAError, ValueError):
    """The question is empty, too long, or not text."""


class ConfigError(QAError, ValueError):
    """A setting has a value that cannot be used."""


class UnreadableFileError(QAError, ValueError):
    """A report file cannot be read (scanned, encrypted, corrupt, too large); the message says
    why and what to do. The file is skipped, named in a warning and recorded in the manifest."""
