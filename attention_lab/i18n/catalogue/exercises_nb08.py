"""The words of notebook 08's exercises: each task, and each diagnosis by its id."""

EN = {
    "08.half_scores.task": "the MiB of float16 scores of one layer (B = 1, H = 8) for every n in ns, shape (10,)",
    "08.half_scores.float32_bytes": "counted 4 bytes a number: float16 takes 2",
    "08.half_scores.in_bytes": "in bytes: divide by MiB = 2**20",
    "08.half_scores.one_head": "counted one head: the layer has H = 8",
    "08.half_scores.size_of_q": "counted n · d_head numbers, the size of q: the scores are n × n",
    "08.half_2gib.task": "the smallest n in ns at which one layer's float16 scores take 2 GiB or more (a number)",
    "08.half_2gib.float32_threshold": "8192 is where float32 scores reach 2 GiB: float16 takes half the bytes, so it gets there one doubling of n later",
    "08.half_2gib.one_head": "counted one head: the layer has H = 8",
    "08.growth.task": "torch.tensor([attention's factor, SDPA's factor]): how many times their peak memory grows from n = 1024 to n = 4096, shape (2,)",
    "08.growth.swapped": "swapped: attention stores the n × n matrix, SDPA essentially its output",
    "08.growth.both_linear": "both linear: attention stores the n × n scores, which grow like n²",
    "08.growth.both_quadratic": "both quadratic: SDPA never stores the n × n matrix",
    "08.growth.one_doubling": "the factors of one doubling: from 1,024 to 4,096, n grows 4 times",
    "08.half_scores.megabytes": "divided by 10⁶ (megabytes): a MiB is 2**20 bytes",
    "08.half_2gib.not_in_ns": "the n at which the scores reach exactly 2 GiB, about 11,586, is not in ns: give the first n of ns at or above it",
    "08.growth.sdpa_constant": "SDPA's peak memory still grows with n: it holds q, k, v and the output, each n × d",
}

VI = {
    "08.half_scores.task": "số MiB của các điểm float16 của một tầng (B = 1, H = 8) với mỗi n trong ns, kích thước (10,)",
    "08.half_scores.float32_bytes": "đã tính 4 byte cho một số: float16 chiếm 2 byte",
    "08.half_scores.in_bytes": "tính bằng byte: hãy chia cho MiB = 2**20",
    "08.half_scores.one_head": "chỉ tính một đầu chú ý: tầng có H = 8",
    "08.half_scores.size_of_q": "đã tính n · d_head số, kích thước của q: các điểm có kích thước n × n",
    "08.half_2gib.task": "n nhỏ nhất trong ns mà tại đó các điểm float16 của một tầng chiếm từ 2 GiB trở lên (một con số)",
    "08.half_2gib.float32_threshold": "8192 là chỗ các điểm float32 đạt 2 GiB: float16 chiếm một nửa số byte, nên nó đạt mức ấy muộn hơn một lần nhân đôi n",
    "08.half_2gib.one_head": "chỉ tính một đầu chú ý: tầng có H = 8",
    "08.growth.task": "torch.tensor([hệ số của attention, hệ số của SDPA]): bộ nhớ đỉnh của chúng tăng bao nhiêu lần từ n = 1024 đến n = 4096, kích thước (2,)",
    "08.growth.swapped": "bị đổi chỗ: attention lưu ma trận n × n, còn SDPA về cơ bản chỉ lưu đầu ra của nó",
    "08.growth.both_linear": "cả hai tuyến tính: attention lưu các điểm n × n, vốn tăng theo n²",
    "08.growth.both_quadratic": "cả hai bậc hai: SDPA không bao giờ lưu ma trận n × n",
    "08.growth.one_doubling": "hệ số của một lần nhân đôi: từ 1.024 đến 4.096, n tăng 4 lần",
    "08.half_scores.megabytes": "đã chia cho 10⁶ (megabyte): một MiB là 2**20 byte",
    "08.half_2gib.not_in_ns": "n mà tại đó các điểm đạt đúng 2 GiB, khoảng 11.586, không có trong ns: hãy cho n đầu tiên trong ns đạt hoặc vượt mức ấy",
    "08.growth.sdpa_constant": "bộ nhớ đỉnh của SDPA vẫn tăng theo n: nó giữ q, k, v và đầu ra, mỗi thứ có kích thước n × d",
}
