"""The programs explorer (notebook 14): which Triton program computes which tile of scores."""

from __future__ import annotations

EN: dict[str, str] = {
    "programs.title": "programs explorer",
    "programs.control.program": "program",
    "programs.control.n": "sequence length n",
    "programs.control.block_m": "block_m",
    "programs.control.block_n": "block_n",
    "programs.control.causal": "causal mask",
    "programs.figure.title": "program {program}: its key blocks in reading order",
    "programs.figure.keys": "key position j",
    "programs.figure.queries": "query position i",
    "programs.grid": (
        "n = {n}, block_m = {block_m}, block_n = {block_n}: {programs} programs per head "
        "(one per block of queries), {key_blocks} key blocks"
    ),
    "programs.selected": (
        "program {program} handles queries {first}–{last}{padding}: it reads {steps} key "
        "block(s), {masked} of them with a mask, and skips {skipped}"
    ),
    "programs.padding": " (and {rows} rows past the end, masked on load and store)",
    "programs.totals": (
        "all programs: {computed} of {tiles} tiles computed, {masked} with a mask, "
        "{skipped} skipped"
    ),
    "programs.legend": (
        "dark: scores that count · light: computed, then set to −∞ (the future, or past "
        "the end) · white: never computed"
    ),
    "programs.table.steps": "key blocks read",
}

VI: dict[str, str] = {
    "programs.title": "công cụ khám phá chương trình",
    "programs.control.program": "chương trình",
    "programs.control.n": "độ dài chuỗi n",
    "programs.control.block_m": "block_m",
    "programs.control.block_n": "block_n",
    "programs.control.causal": "mặt nạ nhân quả",
    "programs.figure.title": "chương trình {program}: các khối khóa theo thứ tự đọc",
    "programs.figure.keys": "vị trí khóa j",
    "programs.figure.queries": "vị trí truy vấn i",
    "programs.grid": (
        "n = {n}, block_m = {block_m}, block_n = {block_n}: mỗi đầu chú ý có {programs} "
        "chương trình (mỗi khối truy vấn một chương trình) và {key_blocks} khối khóa"
    ),
    "programs.selected": (
        "chương trình {program} xử lý các truy vấn {first}–{last}{padding}: nó đọc {steps} "
        "khối khóa, trong đó {masked} khối cần mặt nạ, và bỏ qua {skipped} khối"
    ),
    "programs.padding": " (cùng {rows} hàng nằm ngoài cuối chuỗi, bị che khi đọc và khi ghi)",
    "programs.totals": (
        "toàn bộ các chương trình: tính {computed} trên {tiles} mảnh, {masked} mảnh cần mặt nạ, "
        "bỏ qua {skipped} mảnh"
    ),
    "programs.legend": (
        "đậm: điểm được dùng · nhạt: đã tính rồi gán −∞ (tương lai, hoặc ngoài cuối chuỗi) "
        "· trắng: không bao giờ được tính"
    ),
    "programs.table.steps": "số khối khóa đã đọc",
}
