"""The words of notebook 00's exercises: each task, and each diagnosis by its id."""

EN = {
    "00.embedding_of_one.task": 'the embedding of "one", the fifth token of the sentence, shape (3,)',
    "00.embedding_of_one.off_by_one": 'inputs[5] is the sixth token, "step": Python counts from 0, so the fifth token is inputs[4]',
    "00.first_feature.task": "the first feature of every token, one column of inputs, shape (6,)",
    "00.first_feature.row_not_column": "inputs[0] is the first token, a row: a feature is a column, inputs[:, 0]",
    "00.first_feature.off_by_one": "inputs[:, 1] is the second feature: Python counts from 0",
    "00.rows_changed.task": "how many rows of the attention weights change when inputs[1, 0] is set to 0.0 (a number)",
    "00.rows_changed.only_own_row": 'only the row of "journey": but "journey" is also a key in every row, and every row is normalized again',
    "00.rows_changed.nothing_changed": "no row changed: recompute the weights from the changed inputs",
    "00.embedding_of_one.fourth_token": 'inputs[3] is the fourth token, "with": Python counts from 0, so the fifth is inputs[4]',
    "00.rows_changed.counted_entries": "counted the 36 entries of the weights: the question asks how many rows change",
    "00.rows_changed.counted_score_entries": '11 scores change (the row and the column of "journey"), but every row of the weights changes: each row\'s softmax takes in the changed column',
}

VI = {
    "00.embedding_of_one.task": 'embedding của "one", token thứ năm của câu, kích thước (3,)',
    "00.embedding_of_one.off_by_one": 'inputs[5] là token thứ sáu, "step": Python đếm từ 0, nên token thứ năm là inputs[4]',
    "00.first_feature.task": "đặc trưng đầu tiên của mọi token, một cột của inputs, kích thước (6,)",
    "00.first_feature.row_not_column": "inputs[0] là token đầu tiên, một hàng: một đặc trưng là một cột, inputs[:, 0]",
    "00.first_feature.off_by_one": "inputs[:, 1] là đặc trưng thứ hai: Python đếm từ 0",
    "00.rows_changed.task": "số hàng của ma trận trọng số chú ý thay đổi khi đặt inputs[1, 0] bằng 0.0 (một con số)",
    "00.rows_changed.only_own_row": 'chỉ hàng của "journey": nhưng "journey" còn là một khóa trong mọi hàng, và mọi hàng đều được chuẩn hóa lại',
    "00.rows_changed.nothing_changed": "không hàng nào thay đổi: hãy tính lại các trọng số từ inputs đã thay đổi",
    "00.embedding_of_one.fourth_token": 'inputs[3] là token thứ tư, "with": Python đếm từ 0, nên token thứ năm là inputs[4]',
    "00.rows_changed.counted_entries": "đã đếm 36 phần tử của ma trận trọng số: câu hỏi là có bao nhiêu hàng thay đổi",
    "00.rows_changed.counted_score_entries": '11 điểm thay đổi (hàng và cột của "journey"), nhưng mọi hàng của ma trận trọng số đều thay đổi: softmax của mỗi hàng đều dùng đến cột đã thay đổi',
}
