"""The words of notebook 10's exercises: each task, and each diagnosis by its id."""

EN = {
    "10.position_row.task": "the sinusoidal position vector of position 4 for d = 6, written in plain torch, shape (6,)",
    "10.position_row.sin_cos_swapped": "sine and cosine are swapped: the even columns 0, 2, 4 hold the sines, the odd columns the cosines",
    "10.position_row.exponent_without_2": "the exponent lost its 2: pair i uses 10000^(2i/d), so the column index 2i over d, not the pair index i",
    "10.position_row.position_off_by_one": "this is position 3: positions count from 0, so position 4 is the fifth row",
    "10.score_at_offset.task": "the score of section 3's query at position 7 against its key at position 4, a number",
    "10.score_at_offset.offset_reversed": "this is the query at 4 against the key at 7, offset −3: the query goes to position 7",
    "10.score_at_offset.key_not_rotated": "only the query was rotated: the key must be rotated to its own position, 4",
    "10.score_at_offset.not_rotated": "neither vector was rotated: this is q · k, the score at offset 0",
    "10.score_at_offset.interleaved_layout": "this is the interleaved layout: section 3 uses apply_rope's default, split-half",
    "10.fix_layout.task": "interleaved_scores of section 5 from split-half rotations only (reorder the features first), shape (8, 8)",
    "10.fix_layout.not_permuted": "these are the split-half scores of section 3: reorder q's and k's features with p before rotating",
    "10.fix_layout.query_only_permuted": "only q was reordered: k's features need the same order, or the pairs of q and k no longer match",
    "10.fix_layout.inverse_permutation": "this is the inverse order: x[..., p] with p = [0, 2, 4, 6, 1, 3, 5, 7] puts each interleaved pair at (i, i + d/2)",
}

VI = {
    "10.position_row.task": "vector mã hóa vị trí dạng sin của vị trí 4 với d = 6, viết bằng torch thuần, kích thước (6,)",
    "10.position_row.sin_cos_swapped": "sin và cos bị đổi chỗ: các cột chẵn 0, 2, 4 chứa sin, các cột lẻ chứa cos",
    "10.position_row.exponent_without_2": "số mũ bị mất thừa số 2: cặp i dùng 10000^(2i/d), tức là chỉ số cột 2i chia cho d, không phải chỉ số cặp i",
    "10.position_row.position_off_by_one": "đây là vị trí 3: vị trí được đếm từ 0, nên vị trí 4 là hàng thứ năm",
    "10.score_at_offset.task": "điểm giữa truy vấn q của mục 3, đặt ở vị trí 7, và khóa k của mục đó, đặt ở vị trí 4, một con số",
    "10.score_at_offset.offset_reversed": "đây là truy vấn ở vị trí 4 với khóa ở vị trí 7, độ lệch −3: truy vấn phải ở vị trí 7",
    "10.score_at_offset.key_not_rotated": "mới chỉ xoay truy vấn: khóa cũng phải được xoay tới vị trí của nó, vị trí 4",
    "10.score_at_offset.not_rotated": "chưa xoay vector nào: đây là q · k, điểm ở độ lệch 0",
    "10.score_at_offset.interleaved_layout": "đây là cách xếp xen kẽ: mục 3 dùng cách xếp mặc định của apply_rope là chia đôi",
    "10.fix_layout.task": "interleaved_scores của mục 5 chỉ bằng các phép xoay chia đôi (sắp lại các đặc trưng trước), kích thước (8, 8)",
    "10.fix_layout.not_permuted": "đây là các điểm tính theo cách xếp chia đôi ở mục 3: hãy sắp lại các đặc trưng của q và k theo p trước khi xoay",
    "10.fix_layout.query_only_permuted": "mới sắp lại q: các đặc trưng của k cũng cần cùng thứ tự, nếu không các cặp của q và k không còn khớp nhau",
    "10.fix_layout.inverse_permutation": "đây là thứ tự ngược: x[..., p] với p = [0, 2, 4, 6, 1, 3, 5, 7] đưa mỗi cặp xen kẽ về vị trí (i, i + d/2)",
}
