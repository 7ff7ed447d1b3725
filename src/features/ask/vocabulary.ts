// Words of questions that say what is asked, not what about: left out of the
// topic. Folded syllables (no diacritics), abbreviations expanded.

export const QUESTION_PHRASES = [
  // who
  "don vi nao chu tri", "co quan nao chu tri", "ai la don vi chu tri", "ai chu tri", "co quan chu tri", "don vi chu tri", "dong chu tri", "chu tri",
  "ai phu trach", "phu trach", "do ai", "giao cho ai", "ai lam", "ai thuc hien", "cua ai", "thuoc ve ai", "chiu trach nhiem", "dam nhiem",
  "don vi nao phoi hop", "co quan nao phoi hop", "don vi phoi hop", "co quan phoi hop", "ai phoi hop", "phoi hop", "cung voi ai", "tham gia",
  "to dang nao", "co quan nao", "don vi nao", "ben nao", "noi nao", "cap nao", "la ai", "ai", "tham muu",
  // when
  "thoi han hoan thanh", "thoi gian hoan thanh", "thoi gian thuc hien", "han hoan thanh", "han chot", "thoi han", "khi nao", "bao gio",
  "luc nao", "ngay nao", "den han", "het han", "qua han", "tre han", "sap den han", "deadline", "xong chua", "hoan thanh khi nao", "han la", "han nao",
  "han cuoi", "co han", "han", "truoc ngay nao", "bao lau", "trong bao lau", "thoi gian bao lau", "dung ngay", "het han dung ngay",
  // targets
  "chiem bao nhieu phan tram", "chiem bao nhieu", "chiem ty le", "chiem ty trong", "chi tieu", "muc tieu", "bao nhieu", "dat bao nhieu", "can dat", "phai dat", "phan dau", "la bao nhieu", "dat muc", "dat ty le",
  "nam 2026", "nam 2030", "den nam 2030", "het nam 2030",
  // lists
  "nhung nhiem vu nao", "nhiem vu nao", "nhung nhiem vu", "cac nhiem vu", "nhiem vu gi", "nhung viec gi", "viec gi", "viec nao", "lam gi",
  "danh sach", "liet ke", "bao nhieu nhiem vu", "co nhung gi", "gom nhung gi", "duoc giao", "giao", "co trach nhiem", "trach nhiem gi",
  "nhung gi", "cai nao", "o nhung", "nhung chi tieu nao", "chi tieu nao",
  // duties
  "bao cao dinh ky", "dinh ky", "gui ve dau", "ve dau", "gui ai", "cho ai", "len dau", "bao lau mot lan", "may lan mot nam", "che do bao cao",
  // status
  "tien do", "tinh hinh thuc hien", "the nao roi", "ra sao roi", "den dau roi",
  // scope words
  "ke hoach noi gi ve", "noi gi ve", "noi ve", "co gi ve", "de cap", "quy dinh gi ve", "nhu the nao", "tom tat", "noi dung",
  "em moi ve", "toi moi ve", "minh moi ve", "moi ve", "moi nhan viec", "la gi", "la cai gi",
  "trong ke hoach", "theo ke hoach", "ke hoach", "cho toi biet", "cho biet", "xin hoi", "cho hoi", "cho em hoi", "vay", "a", "nhe", "oi", "khong", "nhi",
  "thuc hien nghi quyet 57", "nghi quyet 57", "nq57", "nghi quyet so 57", "57", "ke hoach rieng", "rieng",
];

/**
 * Words that, in a list or a count, only say what kind of list ("việc gì phải xong tháng này",
 * "cần làm xong những gì trước cuối quý"): never a topic filter.
 */
export const LIST_FILLER = new Set(
  (
    "nhiem vu viec cong phai can xong den het han hoan thanh nhung cac nao gi co lam thuc hien trien khai giao duoc tat ca toan bo " +
    "trong cua ve cho theo tai o tu den truoc sau cuoi dau nam thang quy ngay cu the rieng kem moi chinh hang tham gia chu tri phoi hop " +
    "ke hoach kh phu luc muc nhom phan tinh thanh pho phuong xa huyen cap so ban nganh dia phuong don vi co quan chi tieu danh muc trong tam " +
    "nhiem vu chinh yeu cau dat ra sap toi qua tre cham ket qua san pham dang con chua roi sao nua gom bao gom gom co nhe a vay oi khong " +
    "lan luot thoi gian dinh ky bao lau trach nhiem duoc phan cong phan cong ro nhung gi hay la ca them nua rieng biet " +
    "bao cao nop gui hom nay hien nay yeu cau quyet dinh phu luc kem theo nghi trien khai " +
    // how people ask for a list: "liệt kê đủ giúp em", "hạn tận quý II", "kể hết ra với"
    "liet ke du day giup em minh anh chi voi tan ke ra xem biet duoc khong the nao nhi chi tiet tom lai lieu moc ma"
  ).split(" "),
);

/** Provinces and cities of Việt Nam: a question about one no plan covers is answered "not found", naming the plans there are. */
export const FOREIGN_PLACES = [
  "ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "thai nguyen", "quang ninh", "hai duong", "hung yen", "vinh phuc",
  "phu tho", "tuyen quang", "ha giang", "cao bang", "lang son", "lao cai", "yen bai", "dien bien", "son la", "hoa binh",
  "thanh hoa", "nghe an", "ha tinh", "quang binh", "quang tri", "thua thien hue", "hue", "quang nam", "quang ngai", "binh dinh",
  "phu yen", "khanh hoa", "ninh thuan", "binh thuan", "kon tum", "gia lai", "dak lak", "lam dong", "binh phuoc", "tay ninh",
  "binh duong", "dong nai", "ba ria vung tau", "long an", "tien giang", "ben tre", "tra vinh", "vinh long", "dong thap", "an giang",
  "kien giang", "hau giang", "soc trang", "bac lieu", "ca mau", "nam dinh", "thai binh", "ninh binh", "ha nam", "bac kan",
  "bac ninh", "bac giang", "lai chau",
];
