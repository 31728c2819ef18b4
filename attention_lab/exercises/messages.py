"""Every sentence a learner reads from ``check``, in one table keyed by a stable id.

Engine verdicts are ``"check.<verdict>"``; each exercise has ``"NN.name.task"`` (what to compute,
printed while the answer is missing) and ``"NN.name.<diagnosis id>"`` for each known mistake. The
placeholders in braces are filled by ``text``; a translation keeps the same keys and placeholders.
"""

from __future__ import annotations

EN: dict[str, str] = {
    "check.correct": "{exercise}: correct!",
    "check.no_answer": "{exercise}: no answer yet. Compute {task}.",
    "check.not_a_number": "{exercise}: expected a tensor of real numbers or a number, got {type}",
    "check.known_mistake": "{exercise}: not yet: {diagnosis}.",
    "check.wrong_shape": "{exercise}: expected shape {expected}, got {got}",
    "check.nan": "{exercise}: your answer contains NaN: did exp overflow?",
    "check.values_differ": "{exercise}: not yet: right shape, but values differ (by up to {worst:.4g}).",
    "check.unknown_exercise": "check: unknown exercise {exercise}; expected one of {known}",
    # 00.embedding_of_one
    "00.embedding_of_one.task": 'the embedding of "one", the fifth token of the sentence, shape (3,)',
    "00.embedding_of_one.off_by_one": 'inputs[5] is the sixth token, "step": Python counts from 0, so the fifth token is inputs[4]',
    # 00.first_feature
    "00.first_feature.task": "the first feature of every token, one column of inputs, shape (6,)",
    "00.first_feature.row_not_column": "inputs[0] is the first token, a row: a feature is a column, inputs[:, 0]",
    "00.first_feature.off_by_one": "inputs[:, 1] is the second feature: Python counts from 0",
    # 00.rows_changed
    "00.rows_changed.task": "how many rows of the attention weights change when inputs[1, 0] is set to 0.0 (a number)",
    "00.rows_changed.only_own_row": 'only the row of "journey": but "journey" is also a key in every row, and every row is normalized again',
    "00.rows_changed.nothing_changed": "no row changed: recompute the weights from the changed inputs",
    # 01.scores_with
    "01.scores_with.task": 'the scores of the query "with", x⁴, against all six tokens, shape (6,)',
    "01.scores_with.counted_from_one": 'counted from 1: inputs[4] is x⁵ ("one"); x⁴ ("with") is inputs[3]',
    "01.scores_with.notebook_query": 'these are the scores of "journey", the notebook\'s query: the query is "with", inputs[3]',
    # 01.scores_no_matmul
    "01.scores_no_matmul.task": 'the six scores of the query "journey" from an elementwise product and .sum(dim=...), without torch.dot or @, shape (6,)',
    "01.scores_no_matmul.summed_over_tokens": "summed over dim=0, the tokens: sum over the features, dim=1 (or dim=-1)",
    "01.scores_no_matmul.forgot_to_sum": "forgot to sum: these are the products; add them up over the features, dim=1",
    "01.scores_no_matmul.summed_everything": "summed everything into one number: sum over the features only, dim=1",
    # 01.doubled_starts
    "01.doubled_starts.task": 'torch.stack([score, cosine]) of the query "journey" against starts_doubled = 2 * inputs[2], shape (2,)',
    "01.doubled_starts.doubled_cosine": "doubled the cosine too: dividing by both lengths cancels the factor 2",
    "01.doubled_starts.original_starts": 'the score and cosine of the original "starts": use starts_doubled',
    "01.doubled_starts.raw_dot_as_cosine": "the raw dot product as the cosine: divide it by both lengths",
    # 02.softmax
    "02.softmax.task": "the softmax of attn_scores_neg = [2, -1, 0.5], written with torch.exp (not torch.softmax), shape (3,)",
    "02.softmax.divided_by_sum": "divided the scores by their sum: softmax divides exponentials by their sum",
    "02.softmax.forgot_to_normalize": "forgot to divide by the sum of the exponentials",
    "02.softmax.exp_of_sum": "divided by the exponential of the sum: divide by the sum of the exponentials",
    # 02.stable
    "02.stable.task": "the softmax of torch.tensor([1000., 1001., 1002.]) in float32 without nan: subtract the maximum first (not torch.softmax or softmax_stable), shape (3,)",
    "02.stable.overflow": "naive softmax overflowed (exp(1000) = inf): subtract the max first",
    "02.stable.forgot_to_normalize": "subtracted the max but forgot to divide by the sum",
    # 02.overflow_factor
    "02.overflow_factor.task": "the smallest factor c for which softmax_naive(c * attn_scores_2) returns nan in float32 (a number)",
    "02.overflow_factor.float64_threshold": "used float64's threshold (709.8): attn_scores_2 is float32, whose exp overflows past 88.7",
    "02.overflow_factor.float16_threshold": "used float16's threshold (11.1): attn_scores_2 is float32, whose exp overflows past 88.7",
    "02.overflow_factor.smallest_score": "reasoned from the smallest score: the largest score overflows first",
    # 03.context_3
    "03.context_3.task": 'the context vector z³ of "starts" (weights: softmax of its unscaled scores), shape (3,)',
    "03.context_3.raw_scores": "weighted by the raw scores: apply softmax first",
    "03.context_3.divided_by_sum": "normalized by divide-by-sum instead of softmax",
    "03.context_3.counted_from_one": 'counted from 1: inputs[3] is x⁴ ("with"); x³ ("starts") is inputs[2]',
    "03.context_3.notebook_query": 'this is z² of "journey", the notebook\'s query: the query is "starts", inputs[2]',
    # 03.batch_weights
    "03.batch_weights.task": "the unscaled attention weights of the two sentences stacked in batch (the sentence and its reverse), shape (2, 6, 6)",
    "03.batch_weights.softmax_wrong_dim_queries": "softmax over the wrong dimension: with a batch in front, dim=1 runs over the queries; normalize over the keys, dim=-1",
    "03.batch_weights.softmax_wrong_dim_batch": "softmax over the wrong dimension: dim=0 runs over the batch; normalize over the keys, dim=-1",
    # 03.changed_scores
    "03.changed_scores.task": 'how many of the 36 entries of attn_scores change when "journey" becomes [0.1, 0.2, 0.3] (a number)',
    "03.changed_scores.only_own_row": 'only the row of "journey": its column changes too, because "journey" is also the key of every query',
    "03.changed_scores.counted_self_twice": 'counted the score of "journey" with itself twice: its row and its column share that entry',
    "03.changed_scores.every_entry": 'every entry: only the scores that involve "journey" change (the weights of every row change, through the softmax)',
    # 04.W_key
    "04.W_key.task": "W_key as section 1 draws it with d_out = 4: torch.manual_seed(123), then W_query, W_key, W_value with torch.randn, shape (3, 4)",
    "04.W_key.rand_not_randn": "torch.rand (uniform) instead of torch.randn (normal)",
    "04.W_key.wrong_seed_order": "wrong seed order: this is the first draw after torch.manual_seed(123), which belongs to W_query; seed once, then draw W_query, W_key, W_value in that order",
    "04.W_key.transposed_shape": "drew shape (d_out, d_in) = (4, 3): W_key is (d_in, d_out)",
    # 04.context_2
    "04.context_2.task": 'the context vector of "journey" from W_query_4, W_key_4, W_value_4 (d_out = 4), scores scaled by 1/√d_k, shape (4,)',
    "04.context_2.divided_by_d_k": "divided by d_k instead of √d_k",
    "04.context_2.scale_of_d_out_2": "scaled by 1/√2, the scale of d_out = 2: d_k is now 4",
    "04.context_2.unscaled": "forgot to scale by 1/√d_k",
    # 04.linear_queries
    "04.linear_queries.task": "the queries that W_q_layer = nn.Linear(3, 3, bias=False) computes from x, written as a matrix product with its .weight, shape (6, 3)",
    "04.linear_queries.missing_transpose": "missing transpose: nn.Linear stores W as (d_out, d_in) and computes x @ W.T",
    # 05.scale_times_3
    "05.scale_times_3.task": "the scale that brings the variance of q·k back to 1 when q and k (entries of variance 1) are both multiplied by 3, for d_k = 16 (a number)",
    "05.scale_times_3.factor_3_once": "multiplied by 3 only once: q and k each bring a factor 3, so q·k grows by 9",
    "05.scale_times_3.divided_by_d_k": "divided by d_k instead of √d_k: the variance is 81 · d_k, so the typical size is 9 · √d_k",
    "05.scale_times_3.divided_by_variance": "divided by the variance 81 · d_k: divide by its square root, 9 · √d_k",
    "05.scale_times_3.kept_unscaled_by_9": "kept 1/√d_k: it undoes d_k but not the factor 9",
    # 05.even_spread
    "05.even_spread.task": "torch.tensor([largest weight, entropy]) of an even spread of weights over T = 64 keys, entropy in nats, shape (2,)",
    "05.even_spread.entropy_in_bits": "entropy in bits (log base 2): the notebook measures nats, with the natural log",
    "05.even_spread.entropy_sign": "forgot the minus sign: the entropy is −Σ α log α, never negative",
    "05.even_spread.notebook_length": "T = 8, as in the notebook's experiment: here T = 64",
    # 05.batch_weights
    "05.batch_weights.task": "the attention weights softmax(q kᵀ / √d_head) of section 7's q and k, without attention(), shape (2, 4, 5, 5)",
    "05.batch_weights.divided_by_d_k": "divided by d_k instead of √d_k",
    "05.batch_weights.unscaled": "forgot to scale by 1/√d_k",
    "05.batch_weights.softmax_wrong_dim_heads": "softmax over the wrong dimension: dim=1 runs over the heads; normalize over the keys, dim=-1",
    "05.batch_weights.softmax_wrong_dim_queries": "softmax over the wrong dimension: dim=-2 runs over the queries; normalize over the keys, dim=-1",
    # 06.padded_weights
    "06.padded_weights.task": "the causal attention weights of section 1's q and k with the last two positions masked as padding, shape (6, 6)",
    "06.padded_weights.mask_reversed": "mask with True/False reversed: True means may attend, so fill the scores where the mask is False (~mask) with -inf",
    "06.padded_weights.not_renormalized": "forgot to renormalize after masking: zeroing weights after softmax leaves rows that no longer sum to 1; mask the scores with -inf before softmax",
    "06.padded_weights.causal_only": "only the causal mask: the padding keys, positions 4 and 5, must be hidden from every query too",
    "06.padded_weights.masks_combined_with_or": "combined the masks with | (or): a key must pass both masks, so combine them with &",
    "06.padded_weights.masked_queries": "masked the padding rows (queries) instead of the padding columns (keys): padding is about what may be attended to, the last dimension",
    # 06.dropout_weights
    "06.dropout_weights.task": "weights_cpu after dropout with p = 0.2, the keep mask drawn with torch.rand from a CPU generator seeded 123, shape (6, 6)",
    "06.dropout_weights.randn_not_rand": "torch.randn (normal) instead of torch.rand (uniform): the keep mask compares uniform numbers in [0, 1) with p",
    "06.dropout_weights.kept_with_p": "kept a weight with probability p: keep it where torch.rand(...) >= p, so that it survives with probability 1 − p",
    "06.dropout_weights.scaled_by_1_minus_p": "scaled by (1 − p) instead of 1/(1 − p)",
    "06.dropout_weights.not_rescaled": "forgot to divide the kept weights by 1 − p",
    # 06.rows_changed
    "06.rows_changed.task": 'a tensor of shape (6,), True for each row of the causal output that changes when "Your" becomes [9, -9, 9]',
    "06.rows_changed.only_own_row": 'only the row of "Your": every later token attends to "Your" too, so its key and value reach every row',
    "06.rows_changed.only_last_row": 'only the last row: that was section 4\'s experiment, where "step" changed',
    "06.rows_changed.nothing_changed": "no row changed: compare the outputs of x and x_first",
    # 07.split_heads
    "07.split_heads.task": "section 2's q_fused, (B, T, d_out) = (2, 6, 4), split into heads, shape (B, n_heads, T, d_head) = (2, 2, 6, 2)",
    "07.split_heads.missing_transpose": "missing transpose: view(B, T, n_heads, d_head) leaves the tokens before the heads; transpose(1, 2) puts the heads first",
    "07.split_heads.missing_transpose_heads_first": "missing transpose: view(B, n_heads, T, d_head) has the right shape but cuts the numbers in the wrong places, mixing tokens into heads; view(B, T, n_heads, d_head), then transpose(1, 2)",
    # 07.averaged_weights
    "07.averaged_weights.task": "section 2's attn_weights averaged over the heads, as torch.nn.MultiheadAttention returns them by default, shape (B, T, T) = (2, 6, 6)",
    "07.averaged_weights.mean_over_batch": "averaged over the wrong dimension: dim=0 runs over the batch; the heads are dim=1",
    "07.averaged_weights.summed_heads": "summed over the heads: average them, so that every row still sums to 1",
    # 07.n_params
    "07.n_params.task": "the number of parameters of MultiHeadAttention(768, 768, n_heads=12) (a number)",
    "07.n_params.no_out_bias": "forgot W_o's bias: W_o is nn.Linear(d_out, d_out) with a bias",
    "07.n_params.no_out_projection": "forgot W_o, the output projection",
    "07.n_params.full_size_per_head": "counted a full-size W_q, W_k, W_v per head: the heads share them, each head using d_head = 64 of their rows",
    # 08.half_scores
    "08.half_scores.task": "the MiB of float16 scores of one layer (B = 1, H = 8) for every n in ns, shape (10,)",
    "08.half_scores.float32_bytes": "counted 4 bytes a number: float16 takes 2",
    "08.half_scores.in_bytes": "in bytes: divide by MiB = 2**20",
    "08.half_scores.one_head": "counted one head: the layer has H = 8",
    "08.half_scores.size_of_q": "counted n · d_head numbers, the size of q: the scores are n × n",
    # 08.half_2gib
    "08.half_2gib.task": "the smallest n in ns at which one layer's float16 scores take 2 GiB or more (a number)",
    "08.half_2gib.float32_threshold": "8192 is where float32 scores reach 2 GiB: float16 takes half the bytes, so it gets there one doubling of n later",
    "08.half_2gib.one_head": "counted one head: the layer has H = 8",
    # 08.growth
    "08.growth.task": "torch.tensor([attention's factor, SDPA's factor]): how many times their peak memory grows from n = 1024 to n = 4096, shape (2,)",
    "08.growth.swapped": "swapped: attention stores the n × n matrix, SDPA essentially its output",
    "08.growth.both_linear": "both linear: attention stores the n × n scores, which grow like n²",
    "08.growth.both_quadratic": "both quadratic: SDPA never stores the n × n matrix",
    "08.growth.one_doubling": "the factors of one doubling: from 1,024 to 4,096, n grows 4 times",
    # 09.reversed_chunks
    "09.reversed_chunks.task": "torch.stack([row_max, row_sum]) after the online softmax over section 2's chunks, last chunk first, shape (2,)",
    "09.reversed_chunks.no_rescale": "forgot to rescale the old sum by exp(m_old − m_new) when the maximum moves",
    "09.reversed_chunks.no_max_shift": "forgot to subtract the running maximum: ℓ sums e^(x − m), not e^x",
    # 09.causal_tiles
    "09.causal_tiles.task": "how many tiles causal attention_tiled computes for n = 4096 with its default 256 × 256 blocks (a number)",
    "09.causal_tiles.every_tile": "computed every tile: tiles above the diagonal are skipped",
    "09.causal_tiles.no_diagonal": "skipped the diagonal tiles too: they are partly visible, and computed with a mask",
    "09.causal_tiles.half_grid": "half of the n_b² tiles: the n_b diagonal tiles are computed whole, so n_b (n_b + 1) / 2",
    # 09.causal_flash
    "09.causal_flash.task": "flash_attention(q, k, v, block=64, causal=True) for section 4's q, k, v, shape (1, 8, 256, 64)",
    "09.causal_flash.mask_reversed": "mask with True/False reversed in the diagonal tiles: True means may attend, so fill the scores where the mask is False with -inf",
    "09.causal_flash.diagonal_unmasked": "the diagonal tiles were not masked: in them, the keys after each query are still the future",
    "09.causal_flash.diagonal_skipped": "skipped the diagonal tiles: they hold each query's own key and the keys just before it",
}


def text(key: str, **fields: object) -> str:
    """The message ``key``, its placeholders filled from ``fields``."""
    return EN[key].format(**fields)
