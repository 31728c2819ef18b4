"""The verdicts of ``check()``: the frame every exercise's feedback is given in."""

EN = {
    "check.correct": "{exercise}: correct!",
    "check.no_answer": "{exercise}: no answer yet. Compute {task}. {precision}",
    "check.precision_whole": "The answer is a whole number, checked exactly.",
    "check.precision": "Checked to within {atol} + {rtol_percent} % of each value.",
    "check.method_unseen": "check() compares the numbers only: it cannot see how they were computed.",
    "check.not_a_number": "{exercise}: expected a tensor of real numbers or a number, got {type}",
    "check.known_mistake": "{exercise}: not yet: {diagnosis}.",
    "check.wrong_shape": "{exercise}: expected shape {expected}, got {got}",
    "check.nan": "{exercise}: your answer contains NaN: did exp overflow?",
    "check.values_differ": "{exercise}: not yet: the shape is right, but not every value is.",
    "check.number_differs": "{exercise}: not yet: that is not the number asked for.",
    "check.unknown_exercise": "check: unknown exercise {exercise}; expected one of {known}",
    "check.transposed": "transposed: swap the last two dimensions back (rows are queries, columns keys)",
    "check.reversed": "in reverse order along the first dimension: check the order you stacked or looped in",
    "check.negated": "the sign is flipped: check a subtraction or a minus sign",
    "check.rounded": "close, but only to about two decimals: keep full precision (no rounding, no float16)",
}

VI = {
    "check.correct": "{exercise}: đúng rồi!",
    "check.no_answer": "{exercise}: chưa có câu trả lời. Hãy tính {task}. {precision}",
    "check.precision_whole": "Đáp án là một số nguyên, được so khớp chính xác.",
    "check.precision": "Được so khớp với sai số {atol} + {rtol_percent} % của mỗi giá trị.",
    "check.method_unseen": "check() chỉ so sánh các con số: nó không thấy được chúng được tính ra như thế nào.",
    "check.not_a_number": "{exercise}: cần một tensor số thực hoặc một con số, nhưng nhận được {type}",
    "check.known_mistake": "{exercise}: chưa đúng: {diagnosis}.",
    "check.wrong_shape": "{exercise}: cần kích thước {expected}, nhưng nhận được {got}",
    "check.nan": "{exercise}: câu trả lời có NaN: có phải exp đã bị tràn số?",
    "check.values_differ": "{exercise}: chưa đúng: kích thước đúng, nhưng không phải mọi giá trị đều đúng.",
    "check.number_differs": "{exercise}: chưa đúng: đó không phải con số cần tìm.",
    "check.unknown_exercise": "check: không có bài tập {exercise}; các bài tập có là {known}",
    "check.transposed": "bị chuyển vị: hãy đổi chỗ hai chiều cuối lại (hàng là truy vấn, cột là khóa)",
    "check.reversed": "bị đảo thứ tự theo chiều đầu tiên: hãy xem lại thứ tự bạn xếp chồng hoặc duyệt",
    "check.negated": "bị đổi dấu: hãy xem lại một phép trừ hoặc một dấu trừ",
    "check.rounded": "gần đúng, nhưng chỉ tới khoảng hai chữ số thập phân: hãy giữ đủ độ chính xác (không làm tròn, không dùng float16)",
}
