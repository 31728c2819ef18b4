"""The words of notebook 14's exercises: each task, and each diagnosis by its id."""

EN = {
    "14.steps_of_program.task": "how many key blocks program 4 reads for n = 200, block_m = 32, block_n = 64 and causal=True (a number)",
    "14.steps_of_program.every_block": "counted every key block: under the causal mask the loop stops at min(n, (program + 1) · block_m), after the program's diagonal",
    "14.steps_of_program.block_m_as_block_n": "stepped over the keys by block_m: the loop over keys moves block_n = 64 keys at a time",
    "14.steps_of_program.diagonal_skipped": "left out the block that holds the diagonal: it starts before the program's last query, so it is read, with a mask",
    "14.grid_size.task": "how many programs attention_triton launches for q of shape (2, 4, 1000, 64) with block_m = 64 (a number)",
    "14.grid_size.forgot_heads": "counted a grid of (query blocks, batch): axis 1 has one entry per batch row and head, 2 × 4 = 8",
    "14.grid_size.forgot_batch": "counted a grid of (query blocks, heads): axis 1 has one entry per batch row and head, 2 × 4 = 8",
    "14.grid_size.floor_division": "rounded 1000 / 64 down: the last, partial block of 40 queries needs a program too (ceil(1000 / 64) = 16)",
    "14.grid_size.one_per_head": "one program per head: each head gets one program per block of 64 queries",
    "14.last_state.task": "torch.stack([m, ℓ]) of query row 40 (head 0) after the last key block of its program, from trace_program with block_m = 32, block_n = 16, causal=True, shape (2,)",
    "14.last_state.not_causal": "this is the state without the causal mask: pass causal=True",
    "14.last_state.first_step": "this is the state after the first key block: the last step is trace.row_max[-1] and trace.row_sum[-1]",
    "14.last_state.other_head": "this is head 1's row: trace_program reads head 0 unless told otherwise",
}

VI = {
    "14.steps_of_program.task": "chương trình (program) 4 đọc bao nhiêu khối khóa khi n = 200, block_m = 32, block_n = 64 và causal=True (một con số)",
    "14.steps_of_program.every_block": "đã đếm mọi khối khóa: với mặt nạ nhân quả, vòng lặp dừng ở min(n, (program + 1) · block_m), ngay sau đường chéo của chương trình",
    "14.steps_of_program.block_m_as_block_n": "đã duyệt các khóa theo bước block_m: vòng lặp qua các khóa mỗi lần tiến block_n = 64 khóa",
    "14.steps_of_program.diagonal_skipped": "đã bỏ sót khối chứa đường chéo: nó bắt đầu trước truy vấn cuối cùng của chương trình, nên vẫn được đọc, kèm một mặt nạ",
    "14.grid_size.task": "attention_triton khởi chạy bao nhiêu chương trình cho q có kích thước (2, 4, 1000, 64) với block_m = 64 (một con số)",
    "14.grid_size.forgot_heads": "đã đếm một lưới (khối truy vấn, batch): trục 1 có một phần tử cho mỗi cặp (hàng batch, đầu chú ý), 2 × 4 = 8",
    "14.grid_size.forgot_batch": "đã đếm một lưới (khối truy vấn, đầu chú ý): trục 1 có một phần tử cho mỗi cặp (hàng batch, đầu chú ý), 2 × 4 = 8",
    "14.grid_size.floor_division": "đã làm tròn xuống 1000 / 64: khối cuối, chỉ có 40 truy vấn, cũng cần một chương trình (ceil(1000 / 64) = 16)",
    "14.grid_size.one_per_head": "mới tính một chương trình cho mỗi đầu chú ý: mỗi đầu chú ý có một chương trình cho mỗi khối 64 truy vấn",
    "14.last_state.task": "torch.stack([m, ℓ]) của hàng truy vấn 40 (đầu chú ý 0) sau khối khóa cuối cùng của chương trình của nó, lấy từ trace_program với block_m = 32, block_n = 16, causal=True, kích thước (2,)",
    "14.last_state.not_causal": "đây là trạng thái khi không có mặt nạ nhân quả: hãy truyền causal=True",
    "14.last_state.first_step": "đây là trạng thái sau khối khóa đầu tiên: bước cuối là trace.row_max[-1] và trace.row_sum[-1]",
    "14.last_state.other_head": "đây là hàng của đầu chú ý 1: trace_program đọc đầu chú ý 0 nếu không được chỉ định khác",
}
