"""The LLM drafter: any OpenAI-compatible Chat Completions server (OpenAI, Azure OpenAI, a
district's vLLM, Ollama, llama.cpp) through the ``openai`` client.

Every call goes through the privacy guard (placeholders out, values back), a timeout, a bounded
number of retries (429, 5xx, timeouts, connection errors; ``Retry-After`` honoured up to a cap)
and the circuit breaker. The draft must pass the output checks. Any failure raises
:class:`~bot.core.drafting.DraftFailed`, and the drafting step uses the offline draft instead.
No log line holds the teacher's text or the model's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import openai

from bot.core.drafting import DraftFailed
from bot.core.ports import Clock, DraftRequest, DraftResult
from bot.drafting.breaker import CircuitBreaker
from bot.drafting.names import NameBook
from bot.drafting.output_checks import check_output, library_links
from bot.drafting.privacy import PrivacyGuard, PrivateNames
from bot.drafting.prompting import messages
from bot.settings import Settings

log = logging.getLogger("microcoach.llm")

_RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)


class ModelUnavailable(DraftFailed):
    """No usable answer came back: the breaker is open, or the calls failed."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 2
    """Calls per draft, the first included."""
    first_wait: float = 0.5
    """Seconds before the first retry; doubled for each next one."""
    max_wait: float = 4.0
    """The longest wait; a ``Retry-After`` beyond it is not waited for (the draft goes offline)."""

    def wait_before(self, retry: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry number ``retry`` (1, 2, ...), or ``None``: give up."""
        if retry >= self.attempts:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_wait else None
        return min(self.first_wait * 2 ** (retry - 1), self.max_wait)


@dataclass
class OpenAIDrafter:
    client: openai.OpenAI
    model: str
    guard: PrivacyGuard
    breaker: CircuitBreaker
    retry: RetryPolicy = RetryPolicy()
    max_tokens: int = 220
    temperature: float = 0.7
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock, book: NameBook,
                      private_names: Callable[[], PrivateNames] = PrivateNames, timeout: float = 20.0,
                      retry: RetryPolicy = RetryPolicy(), failures_to_open: int = 5,
                      cool_down: timedelta = timedelta(minutes=2)) -> OpenAIDrafter:
        """The drafter for ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` / ``MICROCOACH_LLM_MODEL``. A
        local server with no key (Ollama, llama.cpp) gets a placeholder key, which it ignores."""
        client = openai.OpenAI(api_key=settings.openai_api_key or "not-needed", base_url=settings.openai_base_url,
                               timeout=timeout, max_retries=0)
        return cls(client=client, model=settings.llm_model, guard=PrivacyGuard(book, private_names),
                   breaker=CircuitBreaker(clock, failures_to_open, cool_down), retry=retry)

    @property
    def source(self) -> str:
        return f"llm:{self.model}"

    def draft(self, request: DraftRequest) -> DraftResult:
        vault = self.guard.vault(request.teacher_name, request.coach_name)
        chat = messages(request, vault)
        if not self.breaker.allow():
            raise ModelUnavailable("the circuit breaker is open")
        answered = False
        try:
            completion = self._complete(chat)
            text, finished = _answer(completion)
            answered = text is not None
        finally:
            (self.breaker.succeeded if answered else self.breaker.failed)()
        usage = getattr(completion, "usage", None)
        tokens = {"prompt_tokens": getattr(usage, "prompt_tokens", 0) or 0,
                  "completion_tokens": getattr(usage, "completion_tokens", 0) or 0, "model": self.model}
        if text is None:
            raise ModelUnavailable("the answer held no text", **tokens)
        if finished == "length":
            raise DraftFailed("the answer was cut off at max_tokens", **tokens)
        draft = " ".join(vault.restore(text).split())
        problems = check_output(draft, library_links(request.prompt))
        if problems:
            raise DraftFailed("the draft failed its checks: " + "; ".join(p.split(":")[0] for p in problems), **tokens)
        return DraftResult(text=draft, source=self.source, prompt_tokens=tokens["prompt_tokens"],
                           completion_tokens=tokens["completion_tokens"])

    def _complete(self, chat: list[dict[str, str]]) -> object:
        """One completion, with bounded retries."""
        retry = 0
        while True:
            try:
                return self.client.chat.completions.create(
                    model=self.model, messages=chat, max_tokens=self.max_tokens,  # type: ignore[arg-type]
                    temperature=self.temperature)
            except _RETRYABLE as error:
                retry += 1
                wait = self.retry.wait_before(retry, _retry_after(error))
                log.warning("model call failed: %s (attempt %d)", type(error).__name__, retry)
                if wait is None:
                    raise ModelUnavailable(type(error).__name__) from error
                self.sleep(wait)
            except (openai.OpenAIError, ValueError) as error:
                log.warning("model call failed: %s", type(error).__name__)
                raise ModelUnavailable(type(error).__name__) from error


def _answer(completion: object) -> tuple[str | None, str | None]:
    """The first choice's text and finish reason; ``None`` text for a malformed answer."""
    choices = getattr(completion, "choices", None)
    if not choices:
        return None, None
    message = getattr(choices[0], "message", None)
    content = getattr(message, "content", None)
    finished = getattr(choices[0], "finish_reason", None)
    return (content if isinstance(content, str) and content.strip() else None), finished


def _retry_after(error: Exception) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
