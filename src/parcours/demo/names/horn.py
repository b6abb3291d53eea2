"""Names from the Horn of Africa: Eritrea (Tigrinya), Ethiopia (Amharic), Somalia.

Eritreans and Ethiopians carry their father's given name as family name,
written in Ge'ez script. Somalis write their names in Somali Latin
orthography (x for ħ, c for ʿayn, double vowels), which register clerks
rewrite in French or English spellings: "Maxamed" is registered "Mohamed".
"""

from parcours.demo.names.model import Nationality, pool

TIGRINYA_MALE = pool("""
Amanuel/Emanuel/Amanoel : ኣማኑኤል
Yonas/Jonas/Yonass : ዮናስ
Dawit/Dawid : ዳዊት
Filmon/Filimon/Philemon : ፊልሞን
Michael/Mikael/Mikiel : ሚካኤል
Semere/Semre : ሰመረ
Yohannes/Yohanes/Johannes : ዮሃንስ
Samuel/Samiel : ሳሙኤል
Robel/Rubel : ሮቤል
Henok/Henock/Hennok : ሄኖክ
Merhawi/Merhawie : መርሃዊ
Biniam/Biniyam/Binyam : ቢንያም
Habtom/Habtum : ሃብቶም
Kidane/Kidan : ኪዳነ
Mussie/Musie/Muse : ሙሴ
Abel : ኣቤል
Natnael/Natanael/Nathanael : ናትናኤል
Goitom/Goytom : ጎይቶም
Berhane/Birhane/Berhan : ብርሃነ
Tekle/Teklé : ተኽለ
Efrem/Ephrem/Efrim : ኤፍሬም
Simon : ስምኦን
Aron/Aaron : ኣሮን
Medhanie/Medhane : መድሃኔ
""")

TIGRINYA_FEMALE = pool("""
Helen/Hellen/Helena : ሄለን
Selam/Salam/Sellam : ሰላም
Senait/Senayt/Senaite : ሰናይት
Meron/Miron : ሜሮን
Saba : ሳባ
Winta/Wintana : ዊንታ
Yordanos/Yordanus/Jordanos : ዮርዳኖስ
Luwam/Lwam/Luam : ልዋም
Mebrat/Mebrhat : መብራት
Rahel/Rachel : ራሄል
Hiwet/Hiwot/Hewet : ሂወት
Feven/Fiven/Fewen : ፌቨን
Eden : ኤደን
Tsega/Sega : ጸጋ
Almaz/Almaze : ኣልማዝ
Freweini/Frewoini/Frewini : ፍረወይኒ
Milen/Millen : ሚለን
Mihret/Mehret : ምሕረት
""")

TIGRINYA_FAMILY = pool("""
Tesfay/Tesfai/Tesfaye : ተስፋይ
Gebremedhin/Ghebremedhin : ገብረመድህን
Tekle/Teklé : ተኽለ
Haile/Hailé/Hayle : ሃይለ
Berhane/Birhane/Berhan : ብርሃነ
Kidane : ኪዳነ
Mehari/Mehary/Meharie : መሓሪ
Habte/Habtey : ሃብተ
Gebreyesus/Ghebreyesus/Gebreiesus : ገብረየሱስ
Woldu/Weldu/Wouldu : ወልዱ
Tesfamariam/Tesfamaryam : ተስፋማርያም
Asmerom/Asmerum : ኣስመሮም
Yemane/Yemani : የማነ
Ghirmay/Girmay/Ghirmai : ግርማይ
Tewelde/Tewolde/Teweldé : ተወልደ
Negash/Negassi : ነጋሽ
Abraha/Abrha/Abreha : ኣብርሃ
Zerai/Zeray/Zerei : ዘርኣይ
Kahsay/Kahsai : ካሕሳይ
Ghebrehiwet/Gebrehiwet : ገብረሂወት
Andom : ኣንዶም
""")

AMHARIC_MALE = pool("""
Abebe/Abebé : አበበ
Dawit/Dawid : ዳዊት
Yonas/Yonass : ዮናስ
Tewodros/Teodros/Tewdros : ቴዎድሮስ
Bereket/Berekhet : በረከት
Mulugeta/Mulugueta : ሙሉጌታ
Solomon/Selomon : ሰሎሞን
Getachew/Getachow/Getachou : ጌታቸው
Tadesse/Tadese : ታደሰ
Kebede/Kebbede : ከበደ
Biruk/Birouk : ብሩክ
Yared : ያሬድ
Ermias/Ermiyas : ኤርሚያስ
Mohammed/Mohamed/Muhammed : መሐመድ
Ahmed/Ahmad : አህመድ
Henok/Henock : ሄኖክ
Eyob/Iyob/Eyoub : እዮብ
Fitsum : ፍጹም
Kaleb/Caleb : ካሌብ
""")

AMHARIC_FEMALE = pool("""
Tigist/Tigest/Tegist : ትዕግስት
Meseret/Mesert : መሰረት
Bethlehem/Betelhem/Betlehem : ቤተልሔም
Hana/Hanna : ሃና
Selamawit : ሰላማዊት
Mekdes/Meqdes : መቅደስ
Eden : ኤደን
Frehiwot/Firehiwot/Frehewot : ፍሬሕይወት
Tsion/Zion/Tsiyon : ጽዮን
Lidya/Lydia/Lidia : ሊዲያ
Aster : አስቴር
Birtukan : ብርቱካን
Meron : ሜሮን
Hirut/Hiroute : ሂሩት
Rahel/Rachel : ራሔል
Sara/Sarah : ሳራ
Fatuma/Fatima : ፋጡማ
Zeyneb/Zeineb/Zainab : ዘይነብ
""")

AMHARIC_FAMILY = pool("""
Bekele/Bekelé : በቀለ
Tadesse/Tadese : ታደሰ
Alemu/Alémou : አለሙ
Girma/Guirma : ግርማ
Haile/Hailé : ኃይሌ
Kebede : ከበደ
Tesfaye/Tesfaie : ተስፋዬ
Worku/Werku : ወርቁ
Assefa/Asefa : አሰፋ
Mengistu/Mengestu : መንግስቱ
Desta/Dessta : ደስታ
Negash : ነጋሽ
Abebe : አበበ
Wolde/Welde : ወልዴ
Gebre/Gebré : ገብሬ
Lemma/Lema : ለማ
Ayele/Ayelé : አየለ
Mekonnen/Mekonen/Makonnen : መኮንን
Demissie/Demisse : ደምሴ
Mohammed/Mohamed : መሐመድ
""")

SOMALI_MALE = pool("""
Mohamed/Mohammed/Muhammad/Mahamed : Maxamed
Ahmed/Ahmad : Axmed
Abdirahman/Abdurahman/Abdirahmaan : Cabdiraxmaan
Abdullahi/Abdulahi/Abdillahi : Cabdullaahi
Hassan/Hasan : Xasan
Hussein/Husein : Xuseen
Omar/Umar : Cumar
Ali : Cali
Yusuf/Yussuf/Youssouf : Yuusuf
Ismail/Ismael : Ismaaciil
Abdikarim/Abdikariim : Cabdikariim
Liban/Libaan : Liibaan
Said/Saeed : Saciid
Farah/Faarah : Faarax
Abdiwali/Abdiwaali : Cabdiwaali
Mahad : Mahad
Bashir/Bashiir : Bashiir
Abdiaziz/Abdulaziz : Cabdicasiis
Guled/Guuled : Guuleed
Mukhtar/Mohtar : Mukhtaar
""")

SOMALI_FEMALE = pool("""
Fadumo/Faduma/Fatuma : Faadumo
Hodan/Hoodan : Hodan
Amina/Aamina : Aamina
Sahra/Sahro/Sahara : Sahra
Hibo/Hiba : Hibo
Ifrah/Ifra : Ifraax
Ayan/Ayaan : Ayaan
Nasra/Nasro : Nasra
Deeqa/Deka/Deqa : Deeqa
Ubah/Ubax : Ubax
Hawa/Hawo : Xaawo
Maryan/Mariam/Maryam : Maryan
Asha/Aisha : Caasha
Halimo/Halima : Xaliimo
Khadija/Khadijo : Khadiijo
Sagal : Sagal
""")

SOMALI_FAMILY = pool("""
Hassan/Hasan : Xasan
Abdi/Abdie : Cabdi
Warsame/Warsami : Warsame
Farah/Faarah : Faarax
Mohamud/Mohamoud/Mahmoud : Maxamuud
Yusuf/Yussuf : Yuusuf
Ali : Cali
Jama/Jamaa : Jaamac
Omar/Umar : Cumar
Hirsi/Hersi : Xirsi
Aden/Adan/Aadan : Aadan
Osman/Othman : Cismaan
Noor/Nur/Nour : Nuur
Dahir/Daahir/Tahir : Daahir
Egal/Igal : Cigaal
Abdullahi : Cabdullaahi
Ibrahim/Ibraahim : Ibraahim
Ismail : Ismaaciil
Mohamed : Maxamed
Guled : Guuleed
Duale/Dualeh : Dualle
""")

ERITREA = Nationality(
    "ER",
    TIGRINYA_MALE,
    TIGRINYA_FEMALE,
    TIGRINYA_FAMILY,
    languages=((("ti",), 70), (("ti", "ar"), 12), (("tig", "ti"), 10), (("ti", "en"), 8)),
)
ETHIOPIA = Nationality(
    "ET",
    AMHARIC_MALE,
    AMHARIC_FEMALE,
    AMHARIC_FAMILY,
    languages=((("am",), 55), (("om", "am"), 25), (("ti", "am"), 10), (("am", "en"), 10)),
)
SOMALIA = Nationality(
    "SO",
    SOMALI_MALE,
    SOMALI_FEMALE,
    SOMALI_FAMILY,
    languages=((("so",), 70), (("so", "ar"), 15), (("so", "en"), 15)),
)
