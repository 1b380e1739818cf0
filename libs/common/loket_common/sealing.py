# SPDX-License-Identifier: EUPL-1.2
"""Secrets sealed to the one service that must read them (libsodium sealed boxes, PyNaCl).

A token that opens something (a booking's manage link, a lottery entry's status link) is
stored only as its hash; where it must reach another service (the confirmation email),
the sender seals it to that service's public key. The outbox, the broker and every log
then hold a ciphertext that only the holder of the private key can open; the sender
itself cannot open what it sealed. A sealed box is X25519 + XSalsa20-Poly1305 with a
fresh ephemeral key each time, so the same token sealed twice gives two unrelated texts.

Keys are 32 bytes, written as URL-safe base64 (``new_keypair``). The notifications
service's public key is ``LOKET_NOTIFICATIONS_PUBLIC_KEY`` (read by the services that
send it secrets); its private key ``LOKET_NOTIFICATIONS_PRIVATE_KEY`` belongs to the
notifications service alone.
"""
from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

NOTIFICATIONS_PUBLIC_KEY_VARIABLE = "LOKET_NOTIFICATIONS_PUBLIC_KEY"
NOTIFICATIONS_PRIVATE_KEY_VARIABLE = "LOKET_NOTIFICATIONS_PRIVATE_KEY"


class BadSealingKey(ValueError):
    """A key that is not 32 bytes of URL-safe base64."""


class Unopenable(ValueError):
    """A sealed box that this private key does not open (another recipient's, or altered)."""


def _key_bytes(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BadSealingKey("a sealing key is 32 bytes in URL-safe base64") from None
    if len(raw) != PublicKey.SIZE:
        raise BadSealingKey("a sealing key is 32 bytes in URL-safe base64")
    return raw


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def new_keypair() -> tuple[str, str]:
    """A fresh ``(public_key, private_key)`` pair, each as URL-safe base64."""
    private = PrivateKey.generate()
    return _text(bytes(private.public_key)), _text(bytes(private))


def public_key_of(private_key: str) -> str:
    """The public key that belongs to ``private_key``."""
    return _text(bytes(PrivateKey(_key_bytes(private_key)).public_key))


def check_public_key(public_key: str) -> str:
    """``public_key`` unchanged if it is a usable key (else :class:`BadSealingKey`)."""
    _key_bytes(public_key)
    return public_key


def seal_for(public_key: str, text: str) -> str:
    """``text`` sealed so that only the holder of ``public_key``'s private key reads it."""
    box = SealedBox(PublicKey(_key_bytes(public_key)))
    return _text(box.encrypt(text.encode("utf-8")))


def open_sealed(private_key: str, sealed: str) -> str:
    """The text that :func:`seal_for` sealed to this private key's public key."""
    box = SealedBox(PrivateKey(_key_bytes(private_key)))
    try:
        return box.decrypt(base64.urlsafe_b64decode(sealed.encode("ascii"))).decode("utf-8")
    except (CryptoError, binascii.Error, UnicodeError, ValueError):
        raise Unopenable("this sealed box is not for this key, or was altered") from None


@dataclass(frozen=True)
class Sealer:
    """Seals secrets for one recipient (a service's public key)."""

    public_key: str

    def seal(self, text: str) -> str:
        """``text`` sealed for the recipient."""
        return seal_for(self.public_key, text)

    @classmethod
    def for_notifications(cls) -> Sealer:
        """The notifications service as recipient, its key from the environment.

        Raises :class:`BadSealingKey` when ``LOKET_NOTIFICATIONS_PUBLIC_KEY`` is unset or bad:
        a secret is never sent unsealed for want of a key.
        """
        return cls(check_public_key(os.environ.get(NOTIFICATIONS_PUBLIC_KEY_VARIABLE, "")))
