"""Names from Vietnam and Albania, both written in Latin script.

Vietnamese names are written family name first with diacritics (Nguyễn Văn
Minh); registers keep the family name apart and drop the diacritics.
"""

from parcours.demo.names.model import Nationality, pool

VIETNAMESE_MALE = pool("""
Van Minh : Văn Minh
Van Hung : Văn Hùng
Van Tuan : Văn Tuấn
Duc Anh : Đức Anh
Van Nam : Văn Nam
Quang Huy : Quang Huy
Thanh Long : Thành Long
Van Dung : Văn Dũng
Minh Tuan : Minh Tuấn
Hoang Long : Hoàng Long
Van Thang : Văn Thắng
Van Phuc : Văn Phúc
Dinh Khoa : Đình Khoa
Cong Hieu : Công Hiếu
Van Quyet : Văn Quyết
Tien Dat : Tiến Đạt
""")

VIETNAMESE_FEMALE = pool("""
Thi Lan : Thị Lan
Thi Huong : Thị Hương
Thi Mai : Thị Mai
Thi Hoa : Thị Hoa
Thi Ngoc : Thị Ngọc
Thi Thu : Thị Thu
Thi Hanh : Thị Hạnh
Thu Trang : Thu Trang
Ngoc Anh : Ngọc Anh
Thi Linh : Thị Linh
Thi Nhung : Thị Nhung
Thi Phuong : Thị Phương
""")

VIETNAMESE_FAMILY = pool("""
Nguyen/Nguyên : Nguyễn
Tran : Trần
Le : Lê
Pham : Phạm
Hoang : Hoàng
Huynh : Huỳnh
Phan : Phan
Vu : Vũ
Vo : Võ
Dang : Đặng
Bui : Bùi
Do : Đỗ
Ho : Hồ
Ngo : Ngô
Duong : Dương
Ly : Lý
""")

ALBANIAN_MALE = pool("""
Ardit
Erion/Erjon
Klajdi/Klaidi
Elvis
Arbër/Arber
Dritan
Besnik
Florian/Florjan
Gentian/Genti
Ilir
Kristian/Cristian
Redon
Endrit
Fatjon
Xhuljan/Julian
Ergys/Ergis
Alban
Eltion/Elton
""")

ALBANIAN_FEMALE = pool("""
Elona
Ermira
Klea
Anxhela/Angela
Erisa
Jonida
Megi
Fjona
Arjola
Kejsi/Keisi
Xhesika/Jessica
Dorina
""")

ALBANIAN_FAMILY = pool("""
Hoxha/Hodja/Hoxa
Shehu
Gjoka
Krasniqi/Krasniki
Leka
Hysa
Kola
Marku
Dervishi/Dervisi
Berisha
Çela/Cela
Prifti
Gashi
Kelmendi
Muça/Muca
Hasani
Brahimi
Dushku
Zeneli
""")

VIETNAM = Nationality(
    "VN",
    VIETNAMESE_MALE,
    VIETNAMESE_FEMALE,
    VIETNAMESE_FAMILY,
    languages=((("vi",), 85), (("vi", "en"), 15)),
    family_first=True,
)
ALBANIA = Nationality(
    "AL",
    ALBANIAN_MALE,
    ALBANIAN_FEMALE,
    ALBANIAN_FAMILY,
    languages=((("sq",), 55), (("sq", "en"), 30), (("sq", "it"), 15)),
)
