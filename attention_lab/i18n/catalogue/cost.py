"""The cost explorer (notebook 08): FLOPs, bytes, the crossover n = 2d and the live timing."""

from __future__ import annotations

EN: dict[str, str] = {
    "cost.title": "cost explorer",
    "cost.control.n": "sequence length n",
    "cost.control.d": "features d",
    "cost.measure": "time a live run",
    "cost.measure_tooltip": "time attention and attention_tiled here, on the CPU",
    "cost.measured": (
        "measured on this machine's CPU, one head of n = {n} tokens, d = {d}: attention "
        "{plain:.2f} ms, attention_tiled {tiled:.2f} ms (your numbers will differ)"
    ),
    "cost.projections": "projections",
    "cost.mixing": "weights · v",
    "cost.gflops": "GFLOPs",
    "cost.attention_flops": "q kᵀ and weights · v",
    "cost.setup": (
        "one head, n = {n} tokens of d = {d} features: projections 4 · 2·n·d², q kᵀ and "
        "weights · v 2 · 2·n²·d; equal at n = 2d = {crossover}"
    ),
    "cost.before_crossover": (
        "n < {crossover}: the projections cost more; the n² part is {ratio:.2f} times theirs"
    ),
    "cost.at_crossover": "n = {crossover}: the n² part costs exactly as much as the projections",
    "cost.past_crossover": (
        "n > {crossover}: the n² part costs more, {ratio:.2f} times the projections"
    ),
    "cost.memory": (
        "float32 memory: scores {scores:,.3f} MiB; plain (q, k, v, out, scores and weights) "
        "{plain:,.3f} MiB; tiled (q, k, v, out, one {block}×{block} tile, m and ℓ) {tiled:,.3f} MiB"
    ),
    "cost.flops_title": "FLOPs of one head",
    "cost.flops_axis": "FLOPs",
    "cost.memory_title": "memory of one head (float32)",
    "cost.memory_axis": "MiB",
    "cost.n_axis": "sequence length n",
    "cost.plain": "plain: stores n × n",
    "cost.tiled": "tiled: one tile at a time",
}

VI: dict[str, str] = {
    "cost.title": "công cụ khám phá chi phí",
    "cost.control.n": "độ dài chuỗi n",
    "cost.control.d": "số đặc trưng d",
    "cost.measure": "đo một lần chạy thật",
    "cost.measure_tooltip": "đo thời gian attention và attention_tiled ngay tại đây, trên CPU",
    "cost.measured": (
        "đo trên CPU của máy này, một đầu chú ý với n = {n} token, d = {d}: attention "
        "{plain:.2f} ms, attention_tiled {tiled:.2f} ms (số của bạn sẽ khác)"
    ),
    "cost.projections": "các phép chiếu",
    "cost.mixing": "trọng số · v",
    "cost.gflops": "GFLOP",
    "cost.attention_flops": "q kᵀ và trọng số · v",
    "cost.setup": (
        "một đầu chú ý, n = {n} token, mỗi token d = {d} đặc trưng: các phép chiếu tốn "
        "4 · 2·n·d², q kᵀ và trọng số · v tốn 2 · 2·n²·d; hai bên bằng nhau tại n = 2d = {crossover}"
    ),
    "cost.before_crossover": (
        "n < {crossover}: các phép chiếu tốn nhiều hơn; phần n² chỉ bằng {ratio:.2f} lần chúng"
    ),
    "cost.at_crossover": "n = {crossover}: phần n² tốn đúng bằng các phép chiếu",
    "cost.past_crossover": (
        "n > {crossover}: phần n² tốn nhiều hơn, gấp {ratio:.2f} lần các phép chiếu"
    ),
    "cost.memory": (
        "bộ nhớ float32: điểm số {scores:,.3f} MiB; dạng thường (q, k, v, out, điểm số và trọng số) "
        "{plain:,.3f} MiB; dạng chia mảnh (q, k, v, out, một mảnh {block}×{block}, m và ℓ) "
        "{tiled:,.3f} MiB"
    ),
    "cost.flops_title": "FLOP của một đầu chú ý",
    "cost.flops_axis": "FLOP",
    "cost.memory_title": "bộ nhớ của một đầu chú ý (float32)",
    "cost.memory_axis": "bộ nhớ (MiB)",
    "cost.n_axis": "độ dài chuỗi n",
    "cost.plain": "dạng thường: lưu ma trận n × n",
    "cost.tiled": "dạng chia mảnh: mỗi lần một mảnh",
}
