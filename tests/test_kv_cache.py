"""The KV cache and GQA: token-by-token outputs equal full causal attention, GQA equals SDPA."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from attention_lab.functional import attention, causal_mask
from attention_lab.kv_cache import KVCache, cache_bytes, sliding_window_mask
from attention_lab.layers import MultiHeadAttention


def _module(n_heads: int = 4, n_kv_heads: int | None = None, **kwargs) -> MultiHeadAttention:
    torch.manual_seed(0)
    return MultiHeadAttention(5, 8, n_heads, causal=True, n_kv_heads=n_kv_heads, **kwargs).double()


def _x(*shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(1), dtype=torch.float64)


@pytest.mark.parametrize("n_kv_heads", [4, 2, 1])
@pytest.mark.parametrize("batch", [(), (3,)])
def test_token_by_token_with_a_cache_equals_full_causal_attention(n_kv_heads, batch):
    mha = _module(4, n_kv_heads)
    x = _x(*batch, 7, 5)
    full, full_weights = mha(x, return_weights=True)
    cache = KVCache()
    steps = [mha(x[..., t : t + 1, :], return_weights=True, cache=cache) for t in range(7)]
    assert len(cache) == 7
    torch.testing.assert_close(torch.cat([out for out, _ in steps], dim=-2), full)
    for t, (_, weights) in enumerate(steps):  # (..., n_heads, 1, t + 1): the row of the full map
        assert weights.shape == (*batch, 4, 1, t + 1)
        torch.testing.assert_close(weights[..., 0, :], full_weights[..., t, : t + 1])


def test_a_prompt_then_single_tokens_equals_full_causal_attention():
    mha = _module(4, 2)
    x = _x(2, 9, 5)
    cache = KVCache()
    pieces = [mha(x[:, :5], cache=cache)] + [mha(x[:, t : t + 1], cache=cache) for t in range(5, 9)]
    torch.testing.assert_close(torch.cat(pieces, dim=1), mha(x))


def test_the_cache_is_not_just_ignored():
    # Without the cache each token attends to itself alone: a different answer from position 1 on.
    mha = _module(4, 2)
    x = _x(6, 5)
    alone = torch.cat([mha(x[t : t + 1]) for t in range(6)])
    assert not torch.allclose(alone[1:], mha(x)[1:])


@pytest.mark.parametrize("n_kv_heads", [4, 2, 1])
def test_gqa_equals_sdpa_with_enable_gqa(n_kv_heads):
    mha = _module(4, n_kv_heads)
    x = _x(3, 6, 5)
    q = mha.W_q(x).unflatten(-1, (4, 2)).transpose(1, 2)  # (3, 4, 6, 2)
    k = mha.W_k(x).unflatten(-1, (n_kv_heads, 2)).transpose(1, 2)  # (3, n_kv_heads, 6, 2)
    v = mha.W_v(x).unflatten(-1, (n_kv_heads, 2)).transpose(1, 2)
    heads = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    expected = mha.W_o(heads.transpose(1, 2).flatten(-2))
    torch.testing.assert_close(mha(x), expected)


def test_gqa_shrinks_the_key_and_value_projections_only():
    mha = _module(4, 2)
    assert mha.W_q.weight.shape == (8, 5)
    assert mha.W_k.weight.shape == mha.W_v.weight.shape == (4, 5)  # 2 kv heads · d_head 2
    cache = KVCache()
    mha(_x(6, 5), cache=cache)
    assert cache.keys.shape == (2, 6, 2)
    assert cache.nbytes == 2 * 2 * 6 * 2 * 8 == cache_bytes(1, 2, 2, 6, bytes_per_number=8)


def test_the_default_is_multi_head_attention_unchanged():
    torch.manual_seed(0)
    plain = MultiHeadAttention(5, 8, 4, causal=True)
    torch.manual_seed(0)
    explicit = MultiHeadAttention(5, 8, 4, causal=True, n_kv_heads=4)
    x = _x(6, 5).float()
    torch.testing.assert_close(plain(x), explicit(x), rtol=0, atol=0)


def test_cache_append_grows_along_the_sequence():
    cache = KVCache()
    assert len(cache) == 0 and cache.nbytes == 0
    k1, v1 = _x(2, 3, 4), _x(2, 3, 6)
    keys, values = cache.append(k1, v1)
    assert keys is k1 and values is v1
    keys, values = cache.append(k1[:, :1], v1[:, :1])
    assert keys.shape == (2, 4, 4) and values.shape == (2, 4, 6)
    torch.testing.assert_close(keys[:, 3], k1[:, 0])
    assert cache.nbytes == (2 * 4 * 4 + 2 * 4 * 6) * 8
    cache.reset()
    assert len(cache) == 0


def test_a_non_causal_module_with_a_cache_sees_every_cached_token():
    torch.manual_seed(0)
    mha = MultiHeadAttention(5, 8, 4, n_kv_heads=2).double()
    x = _x(6, 5)
    cache = KVCache()
    mha(x[:4], cache=cache)
    out, weights = mha(x[4:], return_weights=True, cache=cache)
    assert (weights > 0).all()  # nothing masked: both new tokens see all six keys
    torch.testing.assert_close(out, mha(x)[4:])


def test_sliding_window_mask():
    mask = sliding_window_mask(6, 3)
    assert mask.dtype == torch.bool
    assert mask.sum(dim=-1).tolist() == [1, 2, 3, 3, 3, 3]
    assert mask[5].tolist() == [False, False, False, True, True, True]
    assert torch.equal(sliding_window_mask(6, 6), causal_mask(6))
    sinks = sliding_window_mask(6, 2, n_sink=1)
    assert sinks[5].tolist() == [True, False, False, False, True, True]
    assert sinks.sum(dim=-1).tolist() == [1, 2, 3, 3, 3, 3]


def test_a_sliding_window_row_attends_only_inside_its_window():
    x = _x(6, 4)
    _, weights = attention(x, x, x, sliding_window_mask(6, 2, n_sink=1))
    assert (weights[5, 1:4] == 0).all() and (weights[5, [0, 4, 5]] > 0).all()


def test_cache_bytes_formula():
    assert cache_bytes(2, 4, 16, 100) == 2 * 2 * 4 * 16 * 100 * 4


BAD = [
    (lambda: MultiHeadAttention(5, 8, 4, n_kv_heads=3), ValueError, "n_kv_heads must divide"),
    (lambda: MultiHeadAttention(5, 8, 4, n_kv_heads=0), ValueError, "n_kv_heads"),
    (lambda: MultiHeadAttention(5, 8, 4, n_kv_heads=2.0), TypeError, "n_kv_heads"),
    (lambda: _module(4, 2)(_x(3, 5), cache={}), TypeError, "cache must be a KVCache"),
    (lambda: KVCache().append([1.0], _x(2, 3)), TypeError, "KVCache.append: k"),
    (lambda: KVCache().append(_x(2, 3), _x(3, 3)), ValueError, "k and v must agree"),
    (lambda: KVCache().append(_x(2, 3), _x(2, 3).float()), TypeError, "KVCache.append: v"),
    (lambda: sliding_window_mask(4, 0), ValueError, "sliding_window_mask: window"),
    (lambda: sliding_window_mask(4, 2, n_sink=-1), ValueError, "sliding_window_mask: n_sink"),
    (lambda: sliding_window_mask(4, 2, n_sink=10**400), ValueError, "sliding_window_mask: n_sink"),
    (lambda: sliding_window_mask(4, 2, n_sink=True), TypeError, "sliding_window_mask: n_sink"),
    (lambda: cache_bytes(1, 2, 0, 4), ValueError, "cache_bytes: d_head"),
]


@pytest.mark.parametrize(("call", "error", "words"), BAD)
def test_bad_inputs_get_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_a_cache_of_another_shape_or_dtype_is_refused():
    mha = _module(4, 2)
    cache = KVCache()
    mha(_x(2, 3, 5), cache=cache)
    with pytest.raises(ValueError, match="MultiHeadAttention: cache holds keys of shape"):
        mha(_x(3, 1, 5), cache=cache)
    with pytest.raises(TypeError, match=r"MultiHeadAttention: cache holds torch\.float64"):
        mha.float()(_x(2, 1, 5).float(), cache=cache)
    cache = KVCache()
    cache.append(_x(2, 4, 3), _x(2, 4, 3))
    with pytest.raises(ValueError, match=r"KVCache.append: k must have shape \(2, T_new, 3\)"):
        cache.append(_x(3, 1, 3), _x(3, 1, 3))


def test_gqa_step_groups_neighbouring_heads_and_sizes_the_cache():
    from attention_lab.widgets import gqa_step

    step = gqa_step(8, 4096)
    assert step.kv_head_of.tolist() == [h // 4 for h in range(32)]
    # 2 (K and V) · 32 layers · 8 KV heads · 128 features · 4096 tokens · 2 bytes = 512 MiB
    assert step.bytes == 2 * 32 * 8 * 128 * 4096 * 2 == 512 * 2**20
    assert step.mha_bytes == 4 * step.bytes
    assert sorted(step.bytes_by_kv_heads) == [1, 2, 4, 8, 16, 32]
    with pytest.raises(ValueError, match=r"gqa_step: n_kv_heads must divide n_heads=32"):
        gqa_step(3, 4096)


def test_the_gqa_slider_stops_only_on_divisors():
    # Each arrow key moves to the next stop, so every move changes the picture (the browser
    # test presses ArrowRight and waits for a new figure).
    from attention_lab.widgets import gqa_explorer

    explorer = gqa_explorer()
    slider = explorer.controls["n_kv_heads"]
    assert tuple(slider.options) == (1, 2, 4, 8, 16, 32)
    assert explorer.result.n_kv_heads == slider.value
    slider.value = 16
    assert explorer.result.n_kv_heads == 16 and "16 KV head" in explorer.values.value
    explorer.close()
    with pytest.raises(ValueError, match=r"gqa_explorer: n_kv_heads must divide n_heads=32"):
        gqa_explorer(n_kv_heads=13)


def test_moving_the_context_length_redraws_only_the_bars_and_their_title():
    # The memory axis is fixed for every T the slider reaches, so a T move is a quick partial
    # redraw; only a new n_kv_heads changes the left picture's limits.
    import matplotlib

    matplotlib.use("Agg")
    from attention_lab.widgets import gqa_explorer

    explorer = gqa_explorer()
    view, redrawn = explorer.view, []
    update = view.update
    view.update = lambda state, result: redrawn.append(update(state, result)) or redrawn[-1]
    limits = view.memory.get_ylim()
    explorer.controls["T_ki"].value = 64
    result = explorer.result
    assert redrawn == [["sharing", "memory"]]  # the groups that moved, not None (a full draw)
    assert view.memory.get_ylim() == limits
    texts = [a.get_text() for a in view.groups["memory"] if hasattr(a, "get_text")]
    assert texts == [f"KV cache for T = {64 * 1024} tokens"]
    bar_tops = sorted(a.get_y() + a.get_height() for a in view.groups["memory"][:-1])
    expected = sorted(b / 2**20 for b in result.bytes_by_kv_heads.values())
    assert bar_tops == pytest.approx(expected)
    assert limits[0] < min(bar_tops) and max(bar_tops) < limits[1]
    explorer.controls["n_kv_heads"].value = 4
    assert redrawn[-1] is None
    explorer.close()


def test_a_cache_is_refused_with_a_context_or_a_key_mask():
    mha = MultiHeadAttention(4, 4, n_heads=2, causal=False)
    x = torch.randn(3, 4)
    with pytest.raises(ValueError, match=r"MultiHeadAttention: a cache holds .* no context"):
        mha(x, context=torch.randn(5, 4), cache=KVCache())
    with pytest.raises(ValueError, match=r"expected no context and no key_mask"):
        mha(x, key_mask=torch.ones(3, dtype=torch.bool), cache=KVCache())
