"""Sealed boxes: only the recipient's private key opens what was sealed to its public key."""
import pytest

from loket_common.sealing import (
    NOTIFICATIONS_PUBLIC_KEY_VARIABLE,
    BadSealingKey,
    Sealer,
    Unopenable,
    check_public_key,
    new_keypair,
    open_sealed,
    public_key_of,
    seal_for,
)

TOKEN = "mX3v-7QkP2sLr9Zt_cW4yBn8uE1aHd6f"


def test_what_is_sealed_opens_with_the_private_key_and_does_not_show_the_text():
    public, private = new_keypair()
    sealed = seal_for(public, TOKEN)
    assert TOKEN not in sealed
    assert open_sealed(private, sealed) == TOKEN
    assert public_key_of(private) == public


def test_no_other_key_opens_it_not_even_the_senders_public_key():
    public, _ = new_keypair()
    _, someone_else = new_keypair()
    sealed = seal_for(public, TOKEN)
    with pytest.raises(Unopenable):
        open_sealed(someone_else, sealed)


def test_the_same_text_sealed_twice_gives_unrelated_boxes():
    public, private = new_keypair()
    first, second = seal_for(public, TOKEN), seal_for(public, TOKEN)
    assert first != second
    assert open_sealed(private, first) == open_sealed(private, second) == TOKEN


@pytest.mark.parametrize("change", [lambda box: box[:-4] + ("AAAA" if box[-4:] != "AAAA"
                                                             else "BBBB"),
                                    lambda box: box[:20], lambda box: "not base64 at all!"])
def test_an_altered_or_cut_box_does_not_open(change):
    public, private = new_keypair()
    with pytest.raises(Unopenable):
        open_sealed(private, change(seal_for(public, TOKEN)))


@pytest.mark.parametrize("key", ["", "short", "é" * 43, "A" * 60])
def test_a_bad_key_is_refused_before_anything_is_sealed(key):
    with pytest.raises(BadSealingKey):
        check_public_key(key)
    with pytest.raises(BadSealingKey):
        seal_for(key, TOKEN)


def test_the_notifications_sealer_needs_its_key(monkeypatch):
    public, private = new_keypair()
    monkeypatch.setenv(NOTIFICATIONS_PUBLIC_KEY_VARIABLE, public)
    assert open_sealed(private, Sealer.for_notifications().seal(TOKEN)) == TOKEN
    monkeypatch.delenv(NOTIFICATIONS_PUBLIC_KEY_VARIABLE)
    with pytest.raises(BadSealingKey):
        Sealer.for_notifications()
