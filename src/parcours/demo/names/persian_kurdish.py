"""Names written in Persian, Pashto and Sorani Kurdish script: Afghanistan, Iran, Iraq.

Most Iraqis and many Iranians met on the north coast are Kurds; their names
are written here in Sorani (Arabic-based script with ێ, ە, ڕ, ڵ, ۆ).
"""

from parcours.demo.names.model import Nationality, pool

AFGHAN_MALE = pool("""
Ahmad/Ahmed : احمد
Mohammad/Muhammad/Mohammed/Mohamad : محمد
Mirwais/Mirways/Mir Wais : میرویس
Naqibullah/Naqibulla/Naqib Ullah : نقیب الله
Hamidullah/Hamidulla/Hamid Ullah : حمیدالله
Rahmatullah/Rahmatulla/Rahmat Ullah : رحمت الله
Samiullah/Samiulla/Sami Ullah : سمیع الله
Zabihullah/Zabiullah/Zabi Ullah : ذبیح الله
Ezatullah/Ezzatullah/Izzatullah : عزت الله
Wahid/Waheed : وحید
Jawad/Javad : جواد
Farid/Fareed : فرید
Navid/Nawid/Naveed : نوید
Bilal : بلال
Khalil/Khaleel : خلیل
Jamshid/Jamsheed : جمشید
Ruhullah/Rohullah : روح الله
Sayed/Sayyed/Said : سید
Hekmatullah/Hikmatullah : حکمت الله
Asadullah/Assadullah : اسدالله
Noorullah/Nurullah/Noor Ullah : نورالله
Ajmal : اجمل
Habib/Habeeb : حبیب
Obaidullah/Ubaidullah : عبیدالله
Shafiq/Shafeeq : شفیق
Mustafa/Mostafa : مصطفی
Ali : علی
Rahim/Raheem : رحیم
Sohrab/Suhrab : سهراب
Ismail/Esmail : اسماعیل
""")

AFGHAN_FEMALE = pool("""
Fariba : فریبا
Marzia/Marziya/Marziyeh : مرضیه
Zarghuna/Zarghona : زرغونه
Nazanin : نازنین
Malalai/Malalay : ملالی
Shabnam : شبنم
Fereshta/Fereshteh/Freshta : فرشته
Mahbooba/Mahbouba/Mahbuba : محبوبه
Gulalai/Gulalay : ګلالۍ
Parwana/Parvana : پروانه
Zahra/Zara : زهرا
Khatera/Khatira : خاطره
Frozan/Forozan : فروزان
Hasina/Hassina : حسینه
Roya : رویا
Sima : سیما
Nilofar/Nilufar/Niloufar : نیلوفر
Maryam/Mariam : مریم
Fatima/Fatema : فاطمه
Sahar : سحر
""")

AFGHAN_FAMILY = pool("""
Ahmadzai/Ahmadzay : احمدزی
Popal/Popalzai : پوپل
Stanikzai/Stanekzai : ستانکزی
Safi : صافی
Noori/Nuri/Nouri : نوری
Rahimi : رحیمی
Hakimi/Hakeemi : حکیمی
Sultani/Soltani : سلطانی
Hashimi/Hashemi/Hachimi : هاشمی
Wardak/Wardag : وردک
Mohammadi/Muhammadi : محمدی
Amiri : امیری
Karimi : کریمی
Shinwari/Shinwary : شینواری
Mangal : منگل
Hotak/Hotaki : هوتک
Jalali : جلالی
Haidari/Heydari/Haydari : حیدری
Sadat/Saadat : سادات
Yousufzai/Yousafzai/Yusufzai : یوسفزی
Nazari : نظری
Azizi : عزیزی
Mohmand/Momand : مومند
""")

PERSIAN_MALE = pool("""
Reza/Resa : رضا
Ali : علی
Mehdi/Mahdi : مهدی
Hossein/Hosein/Hussein : حسین
Amir : امیر
Saman : سامان
Peyman/Payman : پیمان
Arash : آرش
Kaveh/Kawa : کاوه
Milad : میلاد
Behzad : بهزاد
Farhad : فرهاد
Dariush/Daryoush/Dariusch : داریوش
Omid/Omeed : امید
Hamid : حمید
Siavash/Siyavash : سیاوش
Mohammad/Mohammed/Mohamad : محمد
Hadi : هادی
Mojtaba : مجتبی
Sina : سینا
Hiwa/Hiva : هیوا
Babak : بابک
""")

PERSIAN_FEMALE = pool("""
Maryam/Mariam : مریم
Zahra/Zara : زهرا
Fatemeh/Fatima/Fateme : فاطمه
Parisa : پریسا
Shirin : شیرین
Nasrin/Nasreen : نسرین
Leila/Leyla : لیلا
Mahsa : مهسا
Narges/Nargis : نرگس
Azadeh/Azade : آزاده
Soraya : ثریا
Shahla : شهلا
Mina : مینا
Roya : رویا
Elham : الهام
""")

PERSIAN_FAMILY = pool("""
Ahmadi : احمدی
Mohammadi/Mohamadi : محمدی
Hosseini/Husseini : حسینی
Karimi : کریمی
Rahimi : رحیمی
Moradi : مرادی
Rezaei/Rezaie/Rezai : رضایی
Jafari/Jaafari : جعفری
Sharifi : شریفی
Azizi : عزیزی
Amini : امینی
Rostami : رستمی
Heidari/Haidari/Heydari : حیدری
Ghorbani/Gorbani : قربانی
Mahmoudi/Mahmudi : محمودی
Salehi : صالحی
Abbasi : عباسی
""")

KURDISH_MALE = pool("""
Rebwar/Ribwar : ڕێبوار
Karwan/Kervan : کاروان
Hawkar : هاوکار
Shwan/Shvan/Chwan : شوان
Dilshad/Delshad : دلشاد
Aram : ئارام
Hemin/Hemn : هێمن
Zana : زانا
Soran : سۆران
Bakhtiyar/Bakhtiar/Bakhtyar : بەختیار
Sirwan/Serwan : سیروان
Azad/Azat : ئازاد
Rekan : ڕێکان
Hawre/Hawri : هاوڕێ
Kawa : کاوە
Dler : دلێر
Shaho : شاهۆ
Ahmed/Ahmad : ئەحمەد
Mohammed/Muhammad/Mohamed : محەمەد
Ali : عەلی
Omer/Omar : عومەر
Hussein/Husen : حوسێن
""")

KURDISH_FEMALE = pool("""
Shilan/Chilan : شیلان
Rozhin/Rojin/Rozheen : ڕۆژین
Nasrin/Nasreen : نەسرین
Shirin/Shereen : شیرین
Avin/Aveen : ئاڤین
Berivan/Beriwan : بەریڤان
Hero/Hiro : هێرۆ
Dilan/Delan : دیلان
Jwan : جوان
Chinar/Chenar : چنار
Lana : لانا
Sozan/Suzan : سۆزان
Tara : تارا
Awaz/Avaz : ئاواز
""")

KURDISH_FAMILY = pool("""
Ahmed/Ahmad : ئەحمەد
Mohammed/Muhammad/Mohamed : محەمەد
Karim/Kareem : کەریم
Hama/Hamah : حەمە
Rashid/Rasheed : ڕەشید
Aziz/Azeez : عەزیز
Qadir/Kadir/Kader : قادر
Mahmood/Mahmoud : مەحموود
Abdullah/Abdulla/Abdallah : عەبدوڵڵا
Omer/Omar : عومەر
Salih/Saleh : ساڵح
Hussein/Husen : حوسێن
Ismail/Esmail : ئیسماعیل
Hasan/Hassan : حەسەن
Faraj : فەرەج
Rasul/Rasool : ڕەسووڵ
""")

AFGHANISTAN = Nationality(
    "AF",
    AFGHAN_MALE,
    AFGHAN_FEMALE,
    AFGHAN_FAMILY,
    languages=((("ps",), 45), (("prs",), 35), (("ps", "prs"), 12), (("prs", "en"), 8)),
)
IRAN = Nationality(
    "IR",
    PERSIAN_MALE,
    PERSIAN_FEMALE,
    PERSIAN_FAMILY,
    languages=((("fa",), 50), (("ku", "fa"), 40), (("fa", "en"), 10)),
)
IRAQ = Nationality(
    "IQ",
    KURDISH_MALE,
    KURDISH_FEMALE,
    KURDISH_FAMILY,
    languages=((("ku",), 55), (("ku", "ar"), 35), (("ku", "en"), 10)),
)
